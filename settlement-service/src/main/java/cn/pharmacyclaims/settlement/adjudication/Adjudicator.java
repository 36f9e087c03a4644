package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The counter-settlement rules of DOMAIN.md §3 as one pure function: the same input always gives
 * the same decision, and nothing here touches a database or a clock.
 *
 * <p>Checks run in rule order (CLM-02 pharmacy, CLM-03 person, CLM-04 proxy, CLM-05 catalogue,
 * CLM-06 prescription, CLM-07 days of supply, CLM-08 refill, CLM-09/10 price); the first check
 * that fails rejects the request with the rejects of that check only. An accepted request is
 * split (CLM-11) into fund, account and cash, per line and in total, with the accumulator
 * increments CLM-12 applies. See {@code package-info.java} for the design choices.
 */
public final class Adjudicator {

    private static final List<Check> CHECKS = List.of(
            new PharmacyCheck(),     // CLM-02
            new PersonCheck(),       // CLM-03
            new ProxyCheck(),        // CLM-04
            new CatalogueCheck(),    // CLM-05
            new PrescriptionCheck(), // CLM-06
            new SupplyCheck(),       // CLM-07, CLM-08
            new PriceCheck());       // CLM-09, CLM-10

    /**
     * @return the rejects of the first failing check, or the accepted split
     * @throws IllegalStateException    for configuration the rules cannot work with: no policy for a
     *                                  known pharmacy's region, a chronic deductible above 0, or
     *                                  accumulators of another year than the sale's
     * @throws IllegalArgumentException for a request the gateway should have refused (no lines)
     */
    public Adjudication adjudicate(AdjudicationInput input) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(input.request(), "input.request");
        Objects.requireNonNull(input.saleDate(), "input.saleDate");
        Lines.of(input);
        for (Check check : CHECKS) {
            List<SettlementResult.Reject> rejects = check.apply(input);
            if (!rejects.isEmpty()) {
                return new Adjudication.Rejected(List.copyOf(rejects));
            }
        }
        return split(input);
    }

    /** CLM-11: steps 1–3 per line, 4 per benefit group, 5 in line order, 6 the cash and the totals. */
    private static Adjudication.Accepted split(AdjudicationInput in) {
        PolicyLimits limits = PolicyLimits.of(in.policy());
        List<SettlementRequest.Line> requestLines = in.request().lines();
        List<LineSplit> lines = new ArrayList<>(requestLines.size());
        for (int i = 0; i < requestLines.size(); i++) {
            SettlementRequest.Line line = requestLines.get(i);
            lines.add(BenefitSplit.of(Lines.no(line, i), line, in.items().get(line.itemCode()), in, limits));
        }

        FundSplit.Result fund = FundSplit.of(lines, in); // CLM-11.4

        Snapshots.Person person = in.person();
        boolean accountUsable = person.insuranceType() == Snapshots.InsuranceType.EMPLOYEE
                && Boolean.TRUE.equals(in.request().useAccount()); // CLM-11.5
        BigDecimal balance = person.accountBalance() == null ? Money.ZERO : Money.round(person.accountBalance());
        List<BigDecimal> account = AccountSplit.of(lines, fund.fundPerLine(), accountUsable, balance,
                in.policy().accountCoversOutOfScope());

        List<SettlementResult.LineResult> results = new ArrayList<>(lines.size());
        BigDecimal total = Money.ZERO, overLimit = Money.ZERO, outOfScope = Money.ZERO, selfPayFirst = Money.ZERO,
                fundPay = Money.ZERO, accountPay = Money.ZERO, cashPay = Money.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            LineSplit l = lines.get(i);
            BigDecimal f = fund.fundPerLine().get(i);
            BigDecimal a = account.get(i);
            BigDecimal cash = l.amount().subtract(f).subtract(a); // CLM-11.6
            results.add(new SettlementResult.LineResult(l.lineNo(), l.amount(), l.overLimit(), l.outOfScope(),
                    l.selfPayFirst(), l.eligible(), f, l.benefit(), a, cash));
            total = total.add(l.amount());
            overLimit = overLimit.add(l.overLimit());
            outOfScope = outOfScope.add(l.outOfScope());
            selfPayFirst = selfPayFirst.add(l.selfPayFirst());
            fundPay = fundPay.add(f);
            accountPay = accountPay.add(a);
            cashPay = cashPay.add(cash);
        }
        SettlementResult.Totals totals = new SettlementResult.Totals(total, overLimit, outOfScope, selfPayFirst,
                fundPay, accountPay, cashPay);
        Adjudication.AccumulatorDelta delta = new Adjudication.AccumulatorDelta(fund.poolingDeductibleUsed(),
                fund.poolingFundPaid(), fund.chronicFundPaid(), accountPay);
        return new Adjudication.Accepted(totals, List.copyOf(results), balance.subtract(accountPay), delta);
    }
}
