package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;
import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * AUD-05 cashing out (套现), two patterns:
 * <ul>
 *   <li>≥ 3 settlements with round totals (positive multiples of 50.00, as {@code Money.isRound50})
 *       for one person at one pharmacy within 30 days: one alert per person, pharmacy and 30-day
 *       bucket (Beijing days) of the first round settlement involved;</li>
 *   <li>one December purchase paying ≥ 90% of a personal-account balance of ≥ 500 from the account
 *       (the balance before is the balance after plus the account payment): one alert per settlement.</li>
 * </ul>
 */
public final class CashOutRule implements AuditRule {
    public static final String ID = "AUD-05";
    public static final String NAME_ROUND = "round-sum purchases (cashing out)";
    public static final String NAME_DRAIN = "account drained in December";

    private final int minRoundTotals;
    private final Duration window;
    private final BigDecimal roundUnit;
    private final BigDecimal drainRatio;
    private final BigDecimal drainMinBalance;

    public CashOutRule(int minRoundTotals, Duration window, BigDecimal roundUnit, BigDecimal drainRatio,
                       BigDecimal drainMinBalance) {
        this.minRoundTotals = minRoundTotals;
        this.window = window;
        this.roundUnit = roundUnit;
        this.drainRatio = drainRatio;
        this.drainMinBalance = drainMinBalance;
    }

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.settled()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>(2);
        SettledFact cur = o.current();
        if (round(cur.total())) {
            List<SettledFact> rounds = o.personHistory().stream()
                    .filter(f -> cur.psnNo().equals(f.psnNo()) && cur.pharmacyCode().equals(f.pharmacyCode()) && round(f.total()))
                    .toList();
            Windows.earliest(rounds, cur.at(), window, w -> w.size() >= minRoundTotals).ifPresent(w -> {
                String list = w.stream().map(f -> Beijing.dateHm(f.at()) + " " + f.total().toPlainString())
                        .collect(Collectors.joining(", "));
                String evidence = String.format("person %s settled %d round totals (multiples of %s) at %s within %d days: %s",
                        cur.psnNo(), w.size(), roundUnit.toPlainString(), cur.pharmacyCode(), window.toDays(), list);
                String key = ID + "|round|" + cur.psnNo() + "|" + cur.pharmacyCode() + "|" + Beijing.bucket(w.get(0).at(), window);
                out.add(new Finding(ID, NAME_ROUND, Severity.SUSPICIOUS, BehaviourType.CASH_OUT, subject(cur), o.regionCode(),
                        key, w.stream().map(SettledFact::involved).toList(), evidence));
            });
        }
        drain(o, cur).ifPresent(out::add);
        return out;
    }

    private java.util.Optional<Finding> drain(Observation o, SettledFact cur) {
        SettlementDecision d = o.decision();
        if (Beijing.at(cur.at()).getMonth() != Month.DECEMBER || d.totals() == null || d.totals().accountPay() == null
                || d.accountBalanceAfter() == null) {
            return java.util.Optional.empty();
        }
        BigDecimal paid = d.totals().accountPay();
        BigDecimal before = d.accountBalanceAfter().add(paid);
        if (before.compareTo(drainMinBalance) < 0 || paid.compareTo(before.multiply(drainRatio)) < 0) {
            return java.util.Optional.empty();
        }
        String evidence = String.format("person %s paid %s of a %s account balance (%s%%) at %s on %s",
                cur.psnNo(), Money.round(paid).toPlainString(), Money.round(before).toPlainString(),
                paid.multiply(BigDecimal.valueOf(100)).divide(before, 0, java.math.RoundingMode.HALF_UP).toPlainString(),
                cur.pharmacyCode(), Beijing.dateHm(cur.at()));
        return java.util.Optional.of(new Finding(ID, NAME_DRAIN, Severity.SUSPICIOUS, BehaviourType.CASH_OUT, subject(cur),
                o.regionCode(), ID + "|drain|" + cur.setlId(), List.of(cur.involved()), evidence));
    }

    boolean round(BigDecimal total) {
        return total != null && total.signum() > 0 && total.remainder(roundUnit).signum() == 0;
    }

    private static Subject subject(SettledFact cur) {
        return new Subject(cur.pharmacyCode(), cur.psnNo(), cur.terminalId(), null);
    }
}
