package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * CLM-09/CLM-10: every line has a positive quantity and a positive unit price with at most 4
 * decimals (trailing zeros do not count: "12.34000" is 12.34). Every failing line is reported.
 *
 * <p>The other half of CLM-09, "the insured price is never above the cash price", needs the
 * pharmacy's cash price list, which this service does not hold; it is not checked here.
 */
final class PriceCheck implements Check {

    static final int MAX_PRICE_DECIMALS = 4; // CLM-10

    @Override
    public List<Reject> apply(AdjudicationInput in) {
        List<Reject> rejects = new ArrayList<>();
        List<SettlementRequest.Line> lines = Lines.of(in);
        for (int i = 0; i < lines.size(); i++) {
            SettlementRequest.Line line = lines.get(i);
            String problem = problem(line.quantity(), line.unitPrice());
            if (problem != null) {
                rejects.add(Rejects.line(RejectCode.PRICE_INVALID, Lines.no(line, i), "item " + line.itemCode() + ": " + problem));
            }
        }
        return rejects;
    }

    private static String problem(BigDecimal quantity, BigDecimal unitPrice) {
        if (quantity == null || quantity.signum() <= 0) {
            return "quantity must be positive";
        }
        if (unitPrice == null || unitPrice.signum() <= 0) {
            return "unit price must be positive";
        }
        if (unitPrice.stripTrailingZeros().scale() > MAX_PRICE_DECIMALS) {
            return "unit price has more than " + MAX_PRICE_DECIMALS + " decimals";
        }
        return null;
    }
}
