package cn.pharmacyclaims.common.events;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Public event on {@code claims.settlement-decisions} (POS-API.md §3), key psnNo: the result plus
 * where and when it happened and the request's lines. Lines merge the request line (item, quantity,
 * price, days of supply, Rx number) with its result figures (null when rejected).
 * Published through the settlement outbox, so it exists if and only if the state change committed.
 */
public record SettlementDecision(
        String eventId,
        DecisionEventType eventType,
        int schemaVersion,
        String setlId,
        String msgId,
        SettlementStatus status,
        String psnNo,
        String pharmacyCode,
        String terminalId,
        String regionCode,
        String operatorId,
        OffsetDateTime occurredAt,
        SettlementResult.Totals totals,
        List<Line> lines,
        BigDecimal accountBalanceAfter,
        List<SettlementResult.Reject> rejects,
        OffsetDateTime settledAt,
        RxRef prescription,
        OffsetDateTime decidedAt) {

    public static final int SCHEMA_VERSION = 1;

    public record Line(int lineNo, String itemCode, String itemClass, BigDecimal quantity, BigDecimal unitPrice,
                       Integer daysSupply, String rxNo,
                       BigDecimal amount, BigDecimal overLimit, BigDecimal outOfScope, BigDecimal selfPayFirst,
                       BigDecimal eligible, BigDecimal fundPay, SettlementResult.Benefit benefit,
                       BigDecimal accountPay, BigDecimal cashPay) {
    }

    /** The prescription behind Rx lines, without any patient identity (AUD-23). */
    public record RxRef(String rxNo, Boolean electronic, String institutionCode, String physicianCode) {
    }
}
