package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;

import java.util.List;

/**
 * AUD-12 settlement device lent or moved (转借结算设备): a terminal seen for a pharmacy other than
 * its registered one, i.e. a request rejected TERMINAL_PHARMACY_MISMATCH (CLM-02). One alert per request.
 */
public final class DeviceMisuseRule implements AuditRule {
    public static final String ID = "AUD-12";
    public static final String NAME = "settlement device lent or moved";

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
        if (Requests.reject(d, RejectCode.TERMINAL_PHARMACY_MISMATCH).isEmpty()) {
            return List.of();
        }
        String evidence = "terminal " + d.terminalId() + " was used for " + d.pharmacyCode()
                + ", a pharmacy it is not registered to (" + Requests.describe(d) + ", rejected TERMINAL_PHARMACY_MISMATCH)";
        return List.of(new Finding(ID, NAME, Severity.CLEAR_VIOLATION, BehaviourType.DEVICE_MISUSE,
                Requests.subject(d), o.regionCode(), ID + "|" + Requests.ref(d), List.of(Requests.involved(d)), evidence));
    }
}
