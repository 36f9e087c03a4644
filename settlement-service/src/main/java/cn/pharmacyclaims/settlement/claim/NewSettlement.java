package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.settlement.adjudication.Adjudication;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A decided settlement about to be inserted (SETTLED or REJECTED; rejected ones are kept for CLM-01 replays). */
public record NewSettlement(String setlId, String msgId, String bodyHash, String commandId, String psnNo,
                            String pharmacyCode, String terminalId, String regionCode, String operatorId,
                            SettlementStatus status, OffsetDateTime occurredAt, LocalDate saleDate,
                            SettlementResult.Totals totals, BigDecimal accountBalanceAfter,
                            Adjudication.AccumulatorDelta delta, List<String> rejectCodes, String requestJson,
                            String resultJson, OffsetDateTime settledAt, List<LineRow> lines) {
}
