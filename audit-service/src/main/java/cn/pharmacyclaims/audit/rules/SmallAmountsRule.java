package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * AUD-09 many tiny settlements (虚假小额结算): one person, ≥ 5 settlements under 10.00 at one
 * pharmacy within one Beijing calendar day. One alert per person, pharmacy and day.
 */
public final class SmallAmountsRule implements AuditRule {
    public static final String ID = "AUD-09";
    public static final String NAME = "many tiny settlements";

    private final int minSettlements;
    private final BigDecimal below;

    public SmallAmountsRule(int minSettlements, BigDecimal below) {
        this.minSettlements = minSettlements;
        this.below = below;
    }

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.settled() || !tiny(o.current())) {
            return List.of();
        }
        SettledFact cur = o.current();
        LocalDate day = Beijing.date(cur.at());
        List<SettledFact> tiny = o.personHistory().stream()
                .filter(f -> cur.psnNo().equals(f.psnNo()) && cur.pharmacyCode().equals(f.pharmacyCode()))
                .filter(f -> Beijing.date(f.at()).equals(day) && tiny(f))
                .toList();
        if (tiny.size() < minSettlements) {
            return List.of();
        }
        String evidence = String.format("person %s settled %d times under %s at %s on %s (total %s)",
                cur.psnNo(), tiny.size(), below.toPlainString(), cur.pharmacyCode(), day, SettledFact.sum(tiny).toPlainString());
        String key = ID + "|" + cur.psnNo() + "|" + cur.pharmacyCode() + "|" + day;
        return List.of(new Finding(ID, NAME, Severity.SUSPICIOUS, BehaviourType.SMALL_AMOUNTS,
                new Subject(cur.pharmacyCode(), cur.psnNo(), cur.terminalId(), null), o.regionCode(), key,
                tiny.stream().map(SettledFact::involved).toList(), evidence));
    }

    private boolean tiny(SettledFact f) {
        return tiny(f.total());
    }

    boolean tiny(BigDecimal total) {
        return total != null && total.compareTo(below) < 0;
    }
}
