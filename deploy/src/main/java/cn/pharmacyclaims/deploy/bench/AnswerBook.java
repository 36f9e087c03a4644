package cn.pharmacyclaims.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * What the load generator does with an answer, whatever HTTP client brought it: the purchase
 * learns what its POS now knows, and the results count the outcome (and a rejection's codes).
 */
final class AnswerBook {
    private final Workload workload;
    private final Results results;

    AnswerBook(Workload workload, Results results) {
        this.workload = workload;
        this.results = results;
    }

    /** No answer: {@code outcome} is "timeout", "io-error …" or "client-error …". */
    void failed(long i, Workload.Planned p, long due, long done, String outcome) {
        record(p, outcome.equals("timeout") ? "TIMEOUT" : "ERROR", 0, null, null);
        results.completed(i, p.kind(), due, done, outcome);
    }

    /** An HTTP answer; {@code json} and {@code status} null unless a 200/202 body was read ("UNPARSEABLE" if it was not JSON). */
    void answered(long i, Workload.Planned p, long due, long done, int code, JsonNode json, String status) {
        String codes = json == null ? null : rejectCodes(json);
        record(p, status == null ? "ERROR" : status, code, json, codes);
        if ("REJECTED".equals(status) && codes != null) {
            results.rejected(p.kind(), codes);
        }
        results.completed(i, p.kind(), due, done, status != null ? code + " " + status : Integer.toString(code));
    }

    /** What the POS now knows about the purchase (or about the purchase a cancellation or reversal aimed at). */
    private void record(Workload.Planned p, String status, int code, JsonNode json, String rejectCodes) {
        Purchase purchase = p.purchase();
        if (p.kind().settle) {
            if (json != null) {
                purchase.setlId = json.path("setlId").asText(null);
                JsonNode totals = json.path("totals");
                if (totals.isObject()) {
                    purchase.fundPay = decimal(totals.path("fundPay"));
                    purchase.accountPay = decimal(totals.path("accountPay"));
                    purchase.cashPay = decimal(totals.path("cashPay"));
                }
                purchase.rejectCodes = rejectCodes;
            }
            purchase.httpStatus = code;
            purchase.status = status; // last: readers look at status first
            if ("SETTLED".equals(status)) {
                workload.settled(purchase);
            }
        } else {
            purchase.undoHttpStatus = code;
            purchase.undoStatus = status;
        }
    }

    private static String rejectCodes(JsonNode json) {
        StringBuilder codes = new StringBuilder();
        for (JsonNode r : json.path("rejects")) {
            codes.append(codes.length() == 0 ? "" : ",").append(r.path("code").asText());
        }
        return codes.toString();
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : new BigDecimal(n.asText());
    }
}
