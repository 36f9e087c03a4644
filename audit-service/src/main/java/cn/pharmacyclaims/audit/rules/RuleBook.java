package cn.pharmacyclaims.audit.rules;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The enabled AUD rules, built from {@link AuditConfig}, and the horizons their state needs. */
@ApplicationScoped
public class RuleBook {
    private final List<AuditRule> rules;
    private final VolumeSpikeRule volumeSpike;
    private final Duration personHorizon;
    private final Duration terminalHorizon;
    private final int terminalBurstPersons;
    private final Duration retention;
    private final int dailyCountRetentionDays;

    public RuleBook(AuditConfig cfg) {
        AuditConfig.Impersonation imp = cfg.impersonation();
        AuditConfig.Splitting split = cfg.splitting();
        AuditConfig.CashOut cash = cfg.cashOut();
        AuditConfig.TerminalBurst burst = cfg.terminalBurst();
        AuditConfig.SettlingForOthers others = cfg.settlingForOthers();
        AuditConfig.SmallAmounts small = cfg.smallAmounts();
        this.volumeSpike = new VolumeSpikeRule(others.medianMultiple(), others.trailingDays(), others.minDailyCount(),
                others.minHistoryDays());
        Set<String> disabled = cfg.disabledRules().orElse(Set.of());
        this.rules = Stream.<AuditRule>of(
                        new NonMedicalGoodsRule(),
                        new ImpersonationRule(imp.minPharmacies(), imp.window(), imp.maxDistanceKm(), imp.distanceWindow()),
                        new SplitPurchaseRule(split.minSettlements(), split.window(), split.maxDaysSupply(), split.maxDaysSupplyChronic()),
                        new CashOutRule(cash.minRoundTotals(), cash.window(), cash.roundUnit(), cash.decemberDrainRatio(),
                                cash.decemberMinBalance()),
                        new OffHoursRule(),
                        new TerminalBurstRule(burst.minPersons(), burst.window()),
                        volumeSpike,
                        new SmallAmountsRule(small.minSettlements(), small.below()),
                        new DeviceMisuseRule(),
                        new SuspendedSettlementRule(),
                        new CardMisuseRule())
                .filter(r -> !disabled.contains(r.ruleId()))
                .toList();
        // A person's windows: the longest of AUD-02, AUD-03, AUD-05 and AUD-09's calendar day.
        this.personHorizon = Stream.of(imp.window(), imp.distanceWindow(), split.window(), cash.window(), Duration.ofDays(1))
                .max(Duration::compareTo).orElseThrow();
        this.terminalHorizon = burst.window();
        this.terminalBurstPersons = burst.minPersons();
        this.retention = personHorizon.plus(cfg.retention().margin());
        this.dailyCountRetentionDays = others.trailingDays() + cfg.retention().dailyCountMarginDays();
    }

    public List<AuditRule> rules() {
        return rules;
    }

    public VolumeSpikeRule volumeSpike() {
        return volumeSpike;
    }

    public boolean enabled(String ruleId) {
        return rules.stream().anyMatch(r -> r.ruleId().equals(ruleId));
    }

    /** How far before and after an event the person's settlements can matter. */
    public Duration personHorizon() {
        return personHorizon;
    }

    /** AUD-07: a settlement's trailing window at its terminal (nothing after the event is read). */
    public Duration terminalHorizon() {
        return terminalHorizon;
    }

    /** AUD-07: distinct persons that make a trailing window a burst. */
    public int terminalBurstPersons() {
        return terminalBurstPersons;
    }

    /** Settlements older than this (wall clock) are purged from the windows. */
    public Duration retention() {
        return retention;
    }

    public int dailyCountRetentionDays() {
        return dailyCountRetentionDays;
    }
}
