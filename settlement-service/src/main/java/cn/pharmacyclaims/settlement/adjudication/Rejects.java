package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

/**
 * Builds rejects. Messages go to the POS, the decision topic and the auditors (AUD-14 reads
 * them), so they name codes, dates and limits but never an identity number or a name (AUD-23).
 */
final class Rejects {
    private Rejects() {
    }

    /** A reject about the request as a whole (pharmacy, person, prescription): no line number. */
    static Reject request(RejectCode code, String message) {
        return new Reject(code, null, message);
    }

    static Reject line(RejectCode code, int lineNo, String message) {
        return new Reject(code, lineNo, message);
    }
}
