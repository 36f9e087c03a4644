package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;

import java.util.List;
import java.util.Optional;

/**
 * AUD-13 settling while suspended or terminated: any request rejected for CLM-02's agreement
 * status (AGREEMENT_NOT_ACTIVE, or SETTLEMENT_HOLD where the region rejects under a hold, AGR-08).
 * One alert per request.
 */
public final class SuspendedSettlementRule implements AuditRule {
    public static final String ID = "AUD-13";
    public static final String NAME = "settling while suspended or terminated";

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.rejected()) {
            return List.of();
        }
        SettlementDecision d = o.decision();
        Optional<SettlementResult.Reject> reject = Requests.reject(d, RejectCode.AGREEMENT_NOT_ACTIVE)
                .or(() -> Requests.reject(d, RejectCode.SETTLEMENT_HOLD));
        if (reject.isEmpty()) {
            return List.of();
        }
        String status = o.pharmacy() == null || o.pharmacy().status() == null ? ""
                : " (agreement status " + o.pharmacy().status() + ")";
        String evidence = Requests.describe(d) + " was rejected " + reject.get().code() + status;
        return List.of(new Finding(ID, NAME, Severity.CLEAR_VIOLATION, BehaviourType.SUSPENDED_SETTLEMENT,
                Requests.subject(d), o.regionCode(), ID + "|" + Requests.ref(d), List.of(Requests.involved(d)), evidence));
    }
}
