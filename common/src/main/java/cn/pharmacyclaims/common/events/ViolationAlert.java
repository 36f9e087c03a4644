package cn.pharmacyclaims.common.events;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** POS-API.md §2, on {@code audit.violation-alerts}, key pharmacyCode. Never names or ID-card numbers (AUD-23). */
public record ViolationAlert(
        String alertId,
        String ruleId,
        String ruleName,
        Severity severity,
        BehaviourType behaviourType,
        Subject subject,
        String regionCode,
        BigDecimal amount,
        List<SettlementRef> settlements,
        String evidence,
        OffsetDateTime windowStart,
        OffsetDateTime windowEnd,
        OffsetDateTime detectedAt,
        int schemaVersion) {

    public static final int SCHEMA_VERSION = 1;

    public enum Severity { CLEAR_VIOLATION, HIGHLY_SUSPICIOUS, SUSPICIOUS }

    public enum BehaviourType {
        NON_MEDICAL_GOODS, IMPERSONATION, SPLITTING, DUPLICATE_SUPPLY, CASH_OUT, GHOST_SWIPES,
        SETTLING_FOR_OTHERS, SMALL_AMOUNTS, STOCK_MISMATCH, PRESCRIPTION_FRAUD, DEVICE_MISUSE,
        SUSPENDED_SETTLEMENT, CARD_MISUSE
    }

    public record Subject(String pharmacyCode, String psnNo, String terminalId, String prescriberCode) {
    }

    public record SettlementRef(String setlId, String msgId, String pharmacyCode, OffsetDateTime occurredAt) {
    }
}
