package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * AUD-01 daily goods billed to insurance (经营生活用品 / 以物代药): any request with a NON_MEDICAL
 * item. CLM-05 rejects such a request with NON_MEDICAL_ITEM; a settled line classed NON_MEDICAL
 * (which CLM-05 should never let through) is caught too. One alert per request.
 */
public final class NonMedicalGoodsRule implements AuditRule {
    public static final String ID = "AUD-01";
    public static final String NAME = "daily goods billed to insurance";
    static final String NON_MEDICAL = "NON_MEDICAL";

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        SettlementDecision d = o.decision();
        if (d.eventType() != DecisionEventType.SETTLED && d.eventType() != DecisionEventType.REJECTED) {
            return List.of(); // a cancellation or reversal is not a new request
        }
        Optional<SettlementResult.Reject> reject = Requests.reject(d, RejectCode.NON_MEDICAL_ITEM);
        Set<String> items = new LinkedHashSet<>();
        if (d.lines() != null) {
            for (SettlementDecision.Line l : d.lines()) {
                boolean named = reject.isPresent() && reject.get().lineNo() != null && reject.get().lineNo() == l.lineNo();
                if (NON_MEDICAL.equals(l.itemClass()) || named) {
                    items.add(l.itemCode());
                }
            }
        }
        if (reject.isEmpty() && items.isEmpty()) {
            return List.of();
        }
        String evidence = Requests.describe(d) + " billed non-medical goods to insurance"
                + (items.isEmpty() ? "" : " (items " + String.join(", ", items) + ")")
                + (reject.isPresent() ? "; rejected NON_MEDICAL_ITEM" : "; settled");
        return List.of(new Finding(ID, NAME, Severity.CLEAR_VIOLATION, BehaviourType.NON_MEDICAL_GOODS,
                Requests.subject(d), o.regionCode(), ID + "|" + Requests.ref(d), List.of(Requests.involved(d)), evidence));
    }
}
