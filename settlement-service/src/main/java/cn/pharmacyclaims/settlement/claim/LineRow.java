package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One settlement line as kept (CLM-16): the request line as uploaded, what the catalogue says of
 * its item, and its figures ({@code figures} null when the request was rejected).
 */
public record LineRow(int seq, int lineNo, String itemCode, String itemName, String spec, String itemClass,
                      BigDecimal quantity, BigDecimal unitPrice, Integer daysSupply, String rxNo,
                      String pharmacistLicence, SettlementResult.LineResult figures) {

    /** Pairs request lines with result lines by position (the adjudicator answers them in request order). */
    public static List<LineRow> of(SettlementRequest request, Map<String, Snapshots.CatalogueItem> items,
                                   List<SettlementResult.LineResult> results) {
        List<LineRow> rows = new ArrayList<>(request.lines().size());
        for (int i = 0; i < request.lines().size(); i++) {
            SettlementRequest.Line line = request.lines().get(i);
            Snapshots.CatalogueItem item = line.itemCode() == null || items == null ? null : items.get(line.itemCode());
            // The prescription covers the prescription-only lines of the purchase.
            String rxNo = item != null && item.rx() && request.prescription() != null ? request.prescription().rxNo() : null;
            SettlementResult.LineResult figures = results == null || i >= results.size() ? null : results.get(i);
            rows.add(new LineRow(i, line.lineNo() != null ? line.lineNo() : i + 1, line.itemCode(),
                    item == null ? null : item.name(), item == null ? null : item.spec(),
                    item == null ? null : item.itemClass().name(), line.quantity(), line.unitPrice(), line.daysSupply(),
                    rxNo, line.pharmacistLicence(), figures));
        }
        return List.copyOf(rows);
    }

    /** The decision event's line: request line merged with its figures and item class (POS-API.md §3). */
    public SettlementDecision.Line toDecisionLine() {
        SettlementResult.LineResult f = figures;
        return new SettlementDecision.Line(lineNo, itemCode, itemClass, quantity, unitPrice, daysSupply, rxNo,
                f == null ? null : f.amount(), f == null ? null : f.overLimit(), f == null ? null : f.outOfScope(),
                f == null ? null : f.selfPayFirst(), f == null ? null : f.eligible(), f == null ? null : f.fundPay(),
                f == null ? null : f.benefit(), f == null ? null : f.accountPay(), f == null ? null : f.cashPay());
    }
}
