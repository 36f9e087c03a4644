package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementResult.Benefit;
import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CLM-11.4: what the pooled fund pays, per benefit group, then per line.
 *
 * <p>Groups: outpatient pooling is one group; each chronic disease is a group of its own, with
 * the cap policy.chronicCaps[disease] and the ratio and deductible of the CHRONIC rule for the
 * person's insurance type. Per group (rounded once, on the group total, as the rulebook says):
 * <pre>
 *   groupEligible       = Σ eligible of its lines
 *   remainingDeductible = max(0, deductible − deductible used this year)
 *   fund                = min(round(max(0, groupEligible − remainingDeductible) × ratio),
 *                             max(0, cap − fund paid this year))
 *   deductible consumed = min(groupEligible, remainingDeductible)
 * </pre>
 * The group's fund is then shared among its lines in proportion to their eligible amounts
 * ({@link Allocation}), so the lines sum exactly to the group. A group whose benefit has no rule
 * for the person's insurance type, no ratio, or no cap pays nothing and consumes no deductible:
 * the region has not configured that benefit.
 *
 * <p>Chronic deductibles: the rulebook's defaults are 0 and the accumulators keep no chronic
 * deductible used, so a CHRONIC rule with a deductible above 0 cannot be honoured (applying it to
 * every purchase would overcharge the person, ignoring it would overpay the fund). It throws
 * {@link IllegalStateException} when such a rule meets a chronic line; the policy import should
 * refuse that configuration until an accumulator exists.
 *
 * <p>Accumulators: null means nothing accumulated yet in the sale's calendar year; accumulators
 * of another year are a caller error (CLM-12 is per calendar year) and throw.
 */
final class FundSplit {
    private FundSplit() {
    }

    record Result(List<BigDecimal> fundPerLine, BigDecimal poolingDeductibleUsed, BigDecimal poolingFundPaid,
                  Map<String, BigDecimal> chronicFundPaid) {
    }

    /** The fund and deductible consumption of one benefit group. */
    record GroupFund(BigDecimal fund, BigDecimal deductibleConsumed) {
        static final GroupFund NONE = new GroupFund(Money.ZERO, Money.ZERO);
    }

    static Result of(List<LineSplit> lines, AdjudicationInput in) {
        Snapshots.Accumulators acc = in.accumulators();
        if (acc != null && acc.year() != in.saleDate().getYear()) {
            throw new IllegalStateException("accumulators of year " + acc.year() + " for a sale on " + in.saleDate());
        }
        Snapshots.InsuranceType type = in.person().insuranceType();
        Snapshots.Policy policy = in.policy();

        // Group line indexes, pooling first then diseases in code order (deterministic).
        List<Integer> pooling = new ArrayList<>();
        Map<String, List<Integer>> chronic = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            LineSplit l = lines.get(i);
            if (l.benefit() == Benefit.POOLING) {
                pooling.add(i);
            } else if (l.benefit() == Benefit.CHRONIC) {
                chronic.computeIfAbsent(l.chronicDisease(), d -> new ArrayList<>()).add(i);
            }
        }

        BigDecimal[] fund = new BigDecimal[lines.size()];
        Arrays.fill(fund, Money.ZERO);

        GroupFund poolingFund = GroupFund.NONE;
        if (!pooling.isEmpty()) {
            Snapshots.BenefitRule rule = policy.rule(type, Snapshots.BenefitKind.POOLING);
            poolingFund = rule == null ? GroupFund.NONE : group(eligible(lines, pooling), rule.deductible(),
                    acc == null ? null : acc.poolingDeductibleUsed(), rule.ratio(), rule.cap(),
                    acc == null ? null : acc.poolingFundPaid());
            allocate(poolingFund.fund(), pooling, lines, fund);
        }

        Map<String, BigDecimal> chronicPaid = new LinkedHashMap<>();
        if (!chronic.isEmpty()) {
            Snapshots.BenefitRule rule = policy.rule(type, Snapshots.BenefitKind.CHRONIC);
            if (rule != null && rule.deductible() != null && rule.deductible().signum() > 0) {
                throw new IllegalStateException("chronic deductible " + rule.deductible() + " for " + type
                        + " in region " + policy.regionCode() + " cannot be applied: no chronic deductible accumulator");
            }
            for (Map.Entry<String, List<Integer>> e : chronic.entrySet()) {
                String disease = e.getKey();
                BigDecimal cap = policy.chronicCaps() == null ? null : policy.chronicCaps().get(disease);
                BigDecimal paid = acc == null || acc.chronicFundPaid() == null ? null : acc.chronicFundPaid().get(disease);
                GroupFund g = rule == null ? GroupFund.NONE
                        : group(eligible(lines, e.getValue()), BigDecimal.ZERO, null, rule.ratio(), cap, paid);
                allocate(g.fund(), e.getValue(), lines, fund);
                chronicPaid.put(disease, g.fund());
            }
        }
        return new Result(List.of(fund), poolingFund.deductibleConsumed(), poolingFund.fund(),
                Collections.unmodifiableMap(chronicPaid));
    }

    /** One group's fund (see the class comment); null deductible or used counts as 0, null ratio or cap as "not configured". */
    static GroupFund group(BigDecimal groupEligible, BigDecimal deductible, BigDecimal deductibleUsed, BigDecimal ratio,
                           BigDecimal cap, BigDecimal fundPaidSoFar) {
        if (ratio == null || cap == null) {
            return GroupFund.NONE;
        }
        BigDecimal remainingDeductible = Money.max(Money.ZERO,
                Money.round(orZero(deductible)).subtract(Money.round(orZero(deductibleUsed))));
        BigDecimal consumed = Money.min(groupEligible, remainingDeductible);
        BigDecimal base = Money.max(Money.ZERO, groupEligible.subtract(remainingDeductible));
        BigDecimal remainingCap = Money.max(Money.ZERO, Money.round(cap).subtract(Money.round(orZero(fundPaidSoFar))));
        BigDecimal fund = Money.min(Money.round(base.multiply(ratio)), remainingCap);
        // Guard against a ratio outside [0, 1] in the configuration: the fund never pays more than is eligible.
        fund = Money.max(Money.ZERO, Money.min(fund, groupEligible));
        return new GroupFund(fund, consumed);
    }

    private static BigDecimal eligible(List<LineSplit> lines, List<Integer> indexes) {
        return indexes.stream().map(i -> lines.get(i).eligible()).reduce(Money.ZERO, BigDecimal::add);
    }

    private static void allocate(BigDecimal groupFund, List<Integer> indexes, List<LineSplit> lines, BigDecimal[] fund) {
        List<BigDecimal> shares = Allocation.largestRemainder(groupFund,
                indexes.stream().map(i -> lines.get(i).eligible()).toList());
        for (int k = 0; k < indexes.size(); k++) {
            fund[indexes.get(k)] = shares.get(k);
        }
    }

    private static BigDecimal orZero(BigDecimal x) {
        return x == null ? BigDecimal.ZERO : x;
    }
}
