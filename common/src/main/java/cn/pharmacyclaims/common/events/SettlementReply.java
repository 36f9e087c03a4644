package cn.pharmacyclaims.common.events;

/**
 * Settlement to gateway on {@code gateway.replies}: the answer to one {@link SettlementCommand}.
 * RESULT carries the POS result; CONFLICT is CLM-01's same msgId with another body (HTTP 409);
 * NOT_FOUND is a cancel of an unknown setlId (HTTP 404).
 */
public record SettlementReply(String commandId, String replyTo, Outcome outcome, SettlementResult result,
                              String detail) {
    public enum Outcome { RESULT, CONFLICT, NOT_FOUND }
}
