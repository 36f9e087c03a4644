package cn.pharmacyclaims.common.events;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The answer the POS gets (POS-API.md §1 "Result"). A rejection carries rejects and no amounts
 * (totals, accountBalanceAfter null; lines empty). Per-line accountPay and cashPay are a
 * compatible extension (CLM-11.6: every figure per line and in total).
 */
public record SettlementResult(
        String setlId,
        String msgId,
        SettlementStatus status,
        Totals totals,
        List<LineResult> lines,
        BigDecimal accountBalanceAfter,
        List<Reject> rejects,
        OffsetDateTime settledAt) {

    public record Totals(BigDecimal total, BigDecimal overLimit, BigDecimal outOfScope, BigDecimal selfPayFirst,
                         BigDecimal fundPay, BigDecimal accountPay, BigDecimal cashPay) {
    }

    public enum Benefit { NONE, CHRONIC, POOLING }

    public record LineResult(int lineNo, BigDecimal amount, BigDecimal overLimit, BigDecimal outOfScope,
                             BigDecimal selfPayFirst, BigDecimal eligible, BigDecimal fundPay, Benefit benefit,
                             BigDecimal accountPay, BigDecimal cashPay) {
    }

    public record Reject(RejectCode code, Integer lineNo, String message) {
    }

    public static SettlementResult rejected(String setlId, String msgId, List<Reject> rejects, OffsetDateTime at) {
        return new SettlementResult(setlId, msgId, SettlementStatus.REJECTED, null, List.of(), null, rejects, at);
    }
}
