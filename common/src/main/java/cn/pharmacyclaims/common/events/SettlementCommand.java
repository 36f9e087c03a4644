package cn.pharmacyclaims.common.events;

import java.time.OffsetDateTime;

/**
 * Gateway to settlement-service on {@code claims.settlement-requests}. The gateway has already
 * verified the signature (SEC-01) and validated the body; {@code bodyHash} is the SHA-256 hex of
 * the request body and lets settlement tell a replay from a conflicting reuse of a msgId (CLM-01).
 * Exactly one of {@code settlement}, {@code cancel}, {@code reversal} is set, according to {@code type}.
 * The answer goes to {@code gateway.replies}, addressed to {@code replyTo} (the gateway instance).
 */
public record SettlementCommand(
        String commandId,
        CommandType type,
        String replyTo,
        String terminalId,
        OffsetDateTime receivedAt,
        String bodyHash,
        SettlementRequest settlement,
        CancelRequest cancel,
        ReversalRequest reversal) {

    /** POST /api/v1/settlements/{setlId}/cancel. msgId is optional: the cancel is idempotent by setlId. */
    public record CancelRequest(String setlId, String msgId, String pharmacyCode, String operatorId) {
    }

    /** POST /api/v1/reversals. */
    public record ReversalRequest(String msgId, String originalMsgId, String pharmacyCode) {
    }

    /** Kafka key: psnNo for purchases, so one person's purchases are ordered; the target id otherwise. */
    public String kafkaKey() {
        return switch (type) {
            case PREVIEW, SETTLE -> settlement.psnNo();
            case CANCEL -> cancel.setlId();
            case REVERSE -> reversal.originalMsgId();
        };
    }
}
