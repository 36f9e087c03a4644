package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementResult;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The outcome of {@link Adjudicator#adjudicate}: a rejection, or the accepted split and what it changes. */
public sealed interface Adjudication {

    /** The first failing check's rejects (every line that fails it). Nothing changes. */
    record Rejected(List<SettlementResult.Reject> rejects) implements Adjudication {
    }

    /**
     * CLM-11: per-line figures (summing exactly to the totals), the balance after, and the
     * accumulator increments to apply atomically with the settlement (CLM-12).
     */
    record Accepted(SettlementResult.Totals totals, List<SettlementResult.LineResult> lines,
                    BigDecimal accountBalanceAfter, AccumulatorDelta delta) implements Adjudication {
    }

    /** Increments for the person's year: deductible used and fund paid per benefit, fund per chronic disease, account paid. */
    record AccumulatorDelta(BigDecimal poolingDeductibleUsed, BigDecimal poolingFundPaid,
                            Map<String, BigDecimal> chronicFundPaid, BigDecimal accountPaid) {
    }
}
