package cn.pharmacyclaims.audit.rules;

import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
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
    private final CashOutRule cashOut;
    private final SmallAmountsRule smallAmounts;
    private final Duration hoppingHorizon;
    private final Duration splittingHorizon;
    private final BigDecimal roundUnit;
    private final Duration roundingHorizon;
    private final BigDecimal tinyBelow;

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
        this.cashOut = new CashOutRule(cash.minRoundTotals(), cash.window(), cash.roundUnit(), cash.decemberDrainRatio(),
                cash.decemberMinBalance());
        this.smallAmounts = new SmallAmountsRule(small.minSettlements(), small.below());
        this.rules = Stream.<AuditRule>of(
                        new NonMedicalGoodsRule(),
                        new ImpersonationRule(imp.minPharmacies(), imp.window(), imp.maxDistanceKm(), imp.distanceWindow()),
                        new SplitPurchaseRule(split.minSettlements(), split.window(), split.maxDaysSupply(), split.maxDaysSupplyChronic()),
                        cashOut,
                        new OffHoursRule(),
                        new TerminalBurstRule(burst.minPersons(), burst.window()),
                        volumeSpike,
                        smallAmounts,
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
        this.hoppingHorizon = enabled(ImpersonationRule.ID)
                ? Stream.of(imp.window(), imp.distanceWindow()).max(Duration::compareTo).orElseThrow() : null;
        this.splittingHorizon = enabled(SplitPurchaseRule.ID) ? split.window() : null;
        this.roundUnit = enabled(CashOutRule.ID) && cash.roundUnit().signum() != 0 ? cash.roundUnit() : null;
        this.roundingHorizon = roundUnit == null ? null : cash.window();
        this.tinyBelow = enabled(SmallAmountsRule.ID) ? small.below() : null;
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

    // ---- what of a person's history the rules use (the batch intake reads only that) ------------

    /**
     * AUD-02: how far from an event the person's settlements at other pharmacies matter (its two
     * windows); null when AUD-02 is off. Only when there are some does it need the rest of them.
     */
    public Duration hoppingHorizon() {
        return hoppingHorizon;
    }

    /** AUD-03: how far from an event the person's settlements of the same items matter; null when AUD-03 is off. */
    public Duration splittingHorizon() {
        return splittingHorizon;
    }

    /** AUD-05: whether a settlement's total is round (only round totals are counted); false when AUD-05 is off. */
    public boolean roundTotal(BigDecimal total) {
        return roundUnit != null && cashOut.round(total);
    }

    /** AUD-05: how far from a round settlement the person's other round ones matter; null when AUD-05 is off. */
    public Duration roundingHorizon() {
        return roundingHorizon;
    }

    /** AUD-05's round unit, null when AUD-05 is off. */
    public BigDecimal roundUnit() {
        return roundUnit;
    }

    /** AUD-09: whether a settlement's total is tiny (only tiny totals of the same day are counted); false when AUD-09 is off. */
    public boolean tinyTotal(BigDecimal total) {
        return tinyBelow != null && smallAmounts.tiny(total);
    }

    /** AUD-09: the tiny settlements of the same Beijing day lie within a day of an event. */
    public Duration tinyHorizon() {
        return Duration.ofDays(1);
    }

    /** AUD-09's bound, null when AUD-09 is off. */
    public BigDecimal tinyBelow() {
        return tinyBelow;
    }
}
