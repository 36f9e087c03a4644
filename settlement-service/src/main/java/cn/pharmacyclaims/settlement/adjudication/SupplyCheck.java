package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * CLM-07 then CLM-08, two checks in that order, each reporting every failing line.
 *
 * <p>CLM-07: a line's days of supply may not exceed policy.maxDaysSupply (default 7), or
 * policy.maxDaysSupplyChronic (default 30) when the person holds a chronic registration valid
 * on the sale date for a disease the item covers. A line without days of supply has nothing
 * to exceed (the gateway requires the field).
 *
 * <p>CLM-08: with a prior live supply of the same item (any pharmacy), the whole days elapsed
 * since its sale date must be at least refillThreshold × its days of supply, compared exactly
 * in BigDecimal: <b>equal passes</b>. With 80% of 7 days = 5.6 days, day 6 after the prior sale
 * passes and day 5 fails; with 80% of 10 days = 8.0, day 8 passes.
 */
final class SupplyCheck implements Check {

    @Override
    public List<Reject> apply(AdjudicationInput in) {
        List<Reject> tooLong = daysSupply(in);
        return tooLong.isEmpty() ? refill(in) : tooLong;
    }

    private static List<Reject> daysSupply(AdjudicationInput in) { // CLM-07
        PolicyLimits limits = PolicyLimits.of(in.policy());
        List<Reject> rejects = new ArrayList<>();
        List<SettlementRequest.Line> lines = Lines.of(in);
        for (int i = 0; i < lines.size(); i++) {
            SettlementRequest.Line line = lines.get(i);
            if (line.daysSupply() == null) {
                continue;
            }
            Snapshots.CatalogueItem item = in.items().get(line.itemCode());
            boolean chronic = !ChronicCoverage.diseases(in.person(), item, in.saleDate()).isEmpty();
            int max = chronic ? limits.maxDaysSupplyChronic() : limits.maxDaysSupply();
            if (line.daysSupply() > max) {
                rejects.add(Rejects.line(RejectCode.DAYS_SUPPLY_EXCEEDED, Lines.no(line, i),
                        "item " + line.itemCode() + ": " + line.daysSupply() + " days of supply, at most " + max
                                + (chronic ? " (chronic registration)" : "")));
            }
        }
        return rejects;
    }

    private static List<Reject> refill(AdjudicationInput in) { // CLM-08
        if (in.priorSupplies() == null || in.priorSupplies().isEmpty()) {
            return List.of();
        }
        BigDecimal threshold = PolicyLimits.of(in.policy()).refillThreshold();
        List<Reject> rejects = new ArrayList<>();
        List<SettlementRequest.Line> lines = Lines.of(in);
        for (int i = 0; i < lines.size(); i++) {
            SettlementRequest.Line line = lines.get(i);
            Snapshots.PriorSupply prior = in.priorSupplies().get(line.itemCode());
            if (prior == null) {
                continue;
            }
            BigDecimal required = threshold.multiply(BigDecimal.valueOf(prior.daysSupply()));
            long elapsed = ChronoUnit.DAYS.between(prior.saleDate(), in.saleDate());
            if (BigDecimal.valueOf(elapsed).compareTo(required) < 0) {
                long waitDays = required.setScale(0, RoundingMode.CEILING).longValueExact();
                rejects.add(Rejects.line(RejectCode.REFILL_TOO_SOON, Lines.no(line, i),
                        "item " + line.itemCode() + " supplied for " + prior.daysSupply() + " days on "
                                + prior.saleDate() + "; next supply from " + prior.saleDate().plusDays(waitDays)));
            }
        }
        return rejects;
    }
}
