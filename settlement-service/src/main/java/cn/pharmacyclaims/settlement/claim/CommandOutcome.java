package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementResult;

/**
 * What a processed command answers, and whether its transaction changed anything (then the
 * outbox relay is nudged after the commit).
 */
public record CommandOutcome(SettlementReply.Outcome outcome, SettlementResult result, String detail, boolean changed) {

    public static CommandOutcome result(SettlementResult result, boolean changed) {
        return new CommandOutcome(SettlementReply.Outcome.RESULT, result, null, changed);
    }

    /** CLM-01: the msgId was used before with another body (the gateway answers 409 DUPLICATE_MSG_ID_CONFLICT). */
    public static CommandOutcome conflict(String detail) {
        return new CommandOutcome(SettlementReply.Outcome.CONFLICT, null, detail, false);
    }

    public static CommandOutcome notFound(String detail) {
        return new CommandOutcome(SettlementReply.Outcome.NOT_FOUND, null, detail, false);
    }
}
