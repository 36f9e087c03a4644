package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * AUD-14 lost card or deceased person used: a request rejected by CLM-03 because the card was
 * reported lost (CARD_REPORTED_LOST), or because the person is deceased (INSURED_NOT_ELIGIBLE whose
 * message says so; a lapsed person is not card misuse). One alert per request. The evidence names
 * the reason, never the reject message's free text (AUD-23).
 */
public final class CardMisuseRule implements AuditRule {
    public static final String ID = "AUD-14";
    public static final String NAME = "lost card or deceased person used";
    private static final Pattern DECEASED = Pattern.compile("deceased|death|dead|died|死亡|身故");

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
        String reason = null;
        if (Requests.reject(d, RejectCode.CARD_REPORTED_LOST).isPresent()) {
            reason = "a card reported lost";
        } else {
            for (SettlementResult.Reject r : Requests.rejects(d)) {
                if (r.code() == RejectCode.INSURED_NOT_ELIGIBLE && r.message() != null
                        && DECEASED.matcher(r.message().toLowerCase(Locale.ROOT)).find()) {
                    reason = "the card of a deceased person";
                    break;
                }
            }
        }
        if (reason == null) {
            return List.of();
        }
        String evidence = Requests.describe(d) + " presented " + reason + " for person " + d.psnNo();
        return List.of(new Finding(ID, NAME, Severity.HIGHLY_SUSPICIOUS, BehaviourType.CARD_MISUSE,
                Requests.subject(d), o.regionCode(), ID + "|" + Requests.ref(d), List.of(Requests.involved(d)), evidence));
    }
}
