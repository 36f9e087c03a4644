package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;

/** A settlement row as read back, with what a cancellation needs to restore (CLM-12, CLM-14). */
public record StoredSettlement(String setlId, String msgId, String bodyHash, String psnNo, String pharmacyCode,
                               String terminalId, String regionCode, String operatorId, SettlementStatus status,
                               OffsetDateTime occurredAt, LocalDate saleDate, BigDecimal accountPay,
                               BigDecimal poolingDeductibleUsed, BigDecimal poolingFundPaid,
                               Map<String, BigDecimal> chronicFundPaid, boolean declared, String requestJson,
                               String resultJson, String undoResultJson) {

    /** The result answered when the settlement was decided (never edited, SEC-04). */
    public SettlementResult originalResult() {
        return Json.read(resultJson, SettlementResult.class);
    }

    /** The result as it stands now: the cancellation's or reversal's when undone, else the original. */
    public SettlementResult currentResult() {
        return Json.read(undoResultJson != null ? undoResultJson : resultJson, SettlementResult.class);
    }

    public SettlementRequest request() {
        return Json.read(requestJson, SettlementRequest.class);
    }
}
