package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementResult.Benefit;
import cn.pharmacyclaims.common.events.SettlementResult.LineResult;
import cn.pharmacyclaims.common.events.SettlementResult.Totals;
import cn.pharmacyclaims.common.money.Money;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.BenefitKind;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.BenefitRule;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.CatalogueItem;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.InsuranceType;
import cn.pharmacyclaims.settlement.adjudication.Snapshots.ItemClass;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static cn.pharmacyclaims.settlement.adjudication.TestData.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CLM-11 invariants over many random accepted purchases (fixed seed, so a failure is
 * reproducible): lines sum to totals, fund + account + cash = amount per line and in total, no
 * negative figure, the account never pays more than the balance (nor anything when it may not be
 * used), the fund never more than the remaining cap nor than what is eligible, and the pooling
 * fund equals the formula of CLM-11.4 recomputed here from the line results.
 */
class AdjudicatorPropertyTest {

    static final long SEED = 20261123L;
    static final int PURCHASES = 3000;
    static final String[] DISEASES = {TestData.HYPERTENSION, TestData.DIABETES, TestData.COPD, "I50"};

    @Test
    void clm11_randomPurchases_keepEveryInvariant() {
        Random rnd = new Random(SEED);
        int withFund = 0, withAccount = 0, withCash = 0, capped = 0, balanceExhausted = 0, chronicPaid = 0;
        for (int n = 0; n < PURCHASES; n++) {
            TestData d = randomPurchase(rnd, n);
            AdjudicationInput input = d.build();
            Adjudication result = new Adjudicator().adjudicate(input);
            assertThat(result).as("purchase %d: %s", n, result).isInstanceOf(Adjudication.Accepted.class);
            Adjudication.Accepted a = (Adjudication.Accepted) result;
            assertThat(new Adjudicator().adjudicate(input)).as("deterministic").isEqualTo(a);
            check(n, input, a);
            withFund += a.totals().fundPay().signum();
            withAccount += a.totals().accountPay().signum();
            withCash += a.totals().cashPay().signum();
            if (a.totals().accountPay().signum() > 0 && a.accountBalanceAfter().signum() == 0 && a.totals().cashPay().signum() > 0) {
                balanceExhausted++;
            }
            chronicPaid += a.delta().chronicFundPaid().values().stream().anyMatch(x -> x.signum() > 0) ? 1 : 0;
            if (a.delta().poolingFundPaid().signum() > 0 && remaining(input.policy().rule(input.person().insuranceType(),
                    BenefitKind.POOLING).cap(), input.accumulators().poolingFundPaid()).compareTo(a.delta().poolingFundPaid()) == 0) {
                capped++;
            }
        }
        // The generator must exercise every branch, or the invariants above prove little.
        assertThat(withFund).isGreaterThan(PURCHASES / 4);
        assertThat(withAccount).isGreaterThan(PURCHASES / 10);
        assertThat(withCash).isGreaterThan(PURCHASES / 4);
        assertThat(capped).isGreaterThan(PURCHASES / 100);
        assertThat(balanceExhausted).isGreaterThan(PURCHASES / 100);
        assertThat(chronicPaid).isGreaterThan(PURCHASES / 10);
    }

    private static void check(int n, AdjudicationInput in, Adjudication.Accepted a) {
        String ctx = "purchase " + n;
        Totals t = a.totals();
        List<LineResult> lines = a.lines();
        assertThat(lines).as(ctx).hasSameSizeAs(in.request().lines());

        // Σ lines = totals, every figure.
        assertThat(sum(lines, LineResult::amount)).as(ctx + " total").isEqualTo(t.total());
        assertThat(sum(lines, LineResult::overLimit)).as(ctx + " overLimit").isEqualTo(t.overLimit());
        assertThat(sum(lines, LineResult::outOfScope)).as(ctx + " outOfScope").isEqualTo(t.outOfScope());
        assertThat(sum(lines, LineResult::selfPayFirst)).as(ctx + " selfPayFirst").isEqualTo(t.selfPayFirst());
        assertThat(sum(lines, LineResult::fundPay)).as(ctx + " fund").isEqualTo(t.fundPay());
        assertThat(sum(lines, LineResult::accountPay)).as(ctx + " account").isEqualTo(t.accountPay());
        assertThat(sum(lines, LineResult::cashPay)).as(ctx + " cash").isEqualTo(t.cashPay());
        assertThat(t.fundPay().add(t.accountPay()).add(t.cashPay())).as(ctx + " fund+account+cash").isEqualTo(t.total());

        for (int i = 0; i < lines.size(); i++) {
            LineResult l = lines.get(i);
            var req = in.request().lines().get(i);
            String lctx = ctx + " line " + l.lineNo();
            assertThat(l.amount()).as(lctx).isEqualTo(req.quantity().multiply(req.unitPrice()).setScale(2, RoundingMode.HALF_UP));
            for (BigDecimal x : List.of(l.amount(), l.overLimit(), l.outOfScope(), l.selfPayFirst(), l.eligible(),
                    l.fundPay(), l.accountPay(), l.cashPay())) {
                assertThat(x.signum()).as(lctx + " no negative figure").isGreaterThanOrEqualTo(0);
                assertThat(x.scale()).as(lctx + " scale 2").isEqualTo(2);
            }
            assertThat(l.overLimit().add(l.outOfScope()).add(l.selfPayFirst()).add(l.eligible())).as(lctx + " parts")
                    .isEqualTo(l.amount());
            assertThat(l.fundPay().add(l.accountPay()).add(l.cashPay())).as(lctx + " payers").isEqualTo(l.amount());
            assertThat(l.fundPay()).as(lctx + " fund <= eligible").isLessThanOrEqualTo(l.eligible());
            if (l.benefit() == Benefit.NONE) {
                assertThat(l.fundPay().signum()).as(lctx + " no benefit, no fund").isZero();
            }
            CatalogueItem item = in.items().get(req.itemCode());
            if (item.itemClass() == ItemClass.C) {
                assertThat(l.eligible().signum()).as(lctx + " class C").isZero();
            }
        }

        // Account: only an employee who asked, never above the balance, greedy in line order = min(balance, Σ payable).
        BigDecimal balance = in.person().accountBalance();
        boolean usable = in.person().insuranceType() == InsuranceType.EMPLOYEE && Boolean.TRUE.equals(in.request().useAccount());
        BigDecimal payable = Money.ZERO;
        for (LineResult l : lines) {
            BigDecimal p = l.amount().subtract(l.fundPay());
            if (!in.policy().accountCoversOutOfScope()) {
                p = p.subtract(l.overLimit()).subtract(l.outOfScope());
            }
            payable = payable.add(p);
        }
        BigDecimal expectedAccount = usable ? Money.min(Money.max(Money.ZERO, balance), payable) : Money.ZERO;
        assertThat(t.accountPay()).as(ctx + " account").isEqualTo(expectedAccount);
        assertThat(t.accountPay()).as(ctx + " account <= balance").isLessThanOrEqualTo(Money.max(Money.ZERO, balance));
        assertThat(a.accountBalanceAfter()).as(ctx + " balance after").isEqualTo(balance.subtract(t.accountPay()));
        assertThat(a.delta().accountPaid()).as(ctx).isEqualTo(t.accountPay());

        // Fund: per benefit, the delta equals its lines; never above the remaining cap.
        InsuranceType type = in.person().insuranceType();
        Snapshots.Accumulators acc = in.accumulators();
        BigDecimal poolingLines = sum(lines.stream().filter(l -> l.benefit() == Benefit.POOLING).toList(), LineResult::fundPay);
        BigDecimal chronicLines = sum(lines.stream().filter(l -> l.benefit() == Benefit.CHRONIC).toList(), LineResult::fundPay);
        assertThat(a.delta().poolingFundPaid()).as(ctx + " pooling delta").isEqualTo(poolingLines);
        assertThat(a.delta().chronicFundPaid().values().stream().reduce(Money.ZERO, BigDecimal::add))
                .as(ctx + " chronic delta").isEqualTo(chronicLines);
        for (Map.Entry<String, BigDecimal> e : a.delta().chronicFundPaid().entrySet()) {
            BigDecimal cap = in.policy().chronicCaps().get(e.getKey());
            BigDecimal remaining = cap == null ? Money.ZERO : remaining(cap, acc.chronicFundPaid().get(e.getKey()));
            assertThat(e.getValue()).as(ctx + " chronic cap " + e.getKey()).isLessThanOrEqualTo(remaining);
        }
        BenefitRule chronicRule = in.policy().rule(type, BenefitKind.CHRONIC);
        BigDecimal chronicEligible = sum(lines.stream().filter(l -> l.benefit() == Benefit.CHRONIC).toList(), LineResult::eligible);
        BigDecimal chronicBound = chronicEligible.multiply(chronicRule.ratio())
                .add(new BigDecimal("0.005").multiply(BigDecimal.valueOf(a.delta().chronicFundPaid().size())));
        assertThat(chronicLines).as(ctx + " chronic <= eligible × ratio").isLessThanOrEqualTo(chronicBound);

        // Pooling: recompute CLM-11.4 from the line results.
        BenefitRule pooling = in.policy().rule(type, BenefitKind.POOLING);
        BigDecimal groupEligible = sum(lines.stream().filter(l -> l.benefit() == Benefit.POOLING).toList(), LineResult::eligible);
        BigDecimal remainingDeductible = Money.max(Money.ZERO, pooling.deductible().subtract(acc.poolingDeductibleUsed()));
        BigDecimal expectedFund = Money.min(
                Money.max(Money.ZERO, groupEligible.subtract(remainingDeductible)).multiply(pooling.ratio()).setScale(2, RoundingMode.HALF_UP),
                remaining(pooling.cap(), acc.poolingFundPaid()));
        assertThat(a.delta().poolingFundPaid()).as(ctx + " pooling fund").isEqualTo(expectedFund);
        assertThat(a.delta().poolingDeductibleUsed()).as(ctx + " deductible")
                .isEqualTo(Money.min(groupEligible, remainingDeductible).setScale(2, RoundingMode.HALF_UP));
    }

    private static BigDecimal remaining(BigDecimal cap, BigDecimal paid) {
        return Money.max(Money.ZERO, Money.round(cap).subtract(paid == null ? Money.ZERO : paid));
    }

    private static BigDecimal sum(List<LineResult> lines, Function<LineResult, BigDecimal> f) {
        return lines.stream().map(f).reduce(Money.ZERO, BigDecimal::add);
    }

    // ---- generator

    private static TestData randomPurchase(Random rnd, int n) {
        TestData d = purchase();
        d.insuranceType = rnd.nextBoolean() ? InsuranceType.EMPLOYEE : InsuranceType.RESIDENT;
        d.accountBalance = switch (rnd.nextInt(4)) {
            case 0 -> Money.ZERO;
            case 1 -> cents(rnd, 5_000);        // up to 50.00: often smaller than the share
            default -> cents(rnd, 300_000);     // up to 3000.00
        };
        d.useAccount = switch (rnd.nextInt(4)) {
            case 0 -> Boolean.FALSE;
            case 1 -> null;
            default -> Boolean.TRUE;
        };
        d.accountCoversOutOfScope = rnd.nextBoolean();
        d.outpatientPoolingAtPharmacy = rnd.nextInt(4) > 0;
        d.bSelfPayRatio = new BigDecimal(new String[] {"0.05", "0.10", "0.15", "0.20", "0.333"}[rnd.nextInt(5)]);
        d.benefit(InsuranceType.EMPLOYEE, BenefitKind.POOLING, pick(rnd, "0", "200.00", "50.50"), pick(rnd, "0.50", "0.70", "0.333"),
                pick(rnd, "2000.00", "100.00"));
        d.benefit(InsuranceType.RESIDENT, BenefitKind.POOLING, pick(rnd, "0", "100.00"), pick(rnd, "0.50", "0.60"),
                pick(rnd, "300.00", "50.00"));
        if (rnd.nextInt(5) == 0) {
            d.chronicCaps.remove(DISEASES[rnd.nextInt(DISEASES.length)]);
        }

        // Accumulators, sometimes beyond the cap (a cap lowered mid-year).
        d.poolingDeductibleUsed = cents(rnd, 25_000);
        d.poolingFundPaid = rnd.nextInt(3) == 0 ? cents(rnd, 35_000) : cents(rnd, 5_000);
        for (String disease : DISEASES) {
            if (rnd.nextBoolean()) {
                d.chronicFundPaid.put(disease, rnd.nextBoolean() ? cents(rnd, 3_100_000) : cents(rnd, 10_000));
            }
        }
        for (String disease : DISEASES) {
            if (rnd.nextInt(3) == 0) {
                boolean expired = rnd.nextInt(4) == 0;
                d.chronic(disease, LocalDate.of(2026, 1, 1), expired ? LocalDate.of(2026, 11, 22) : null);
            }
        }

        int lineCount = 1 + rnd.nextInt(8);
        List<CatalogueItem> used = new ArrayList<>();
        int rxDistinct = 0;
        for (int i = 0; i < lineCount; i++) {
            CatalogueItem item;
            if (!used.isEmpty() && rnd.nextInt(6) == 0) {
                item = used.get(rnd.nextInt(used.size())); // same item on two lines
            } else {
                boolean rx = rxDistinct < 5 && rnd.nextBoolean();
                rxDistinct += rx ? 1 : 0;
                ItemClass cls = new ItemClass[] {ItemClass.A, ItemClass.A, ItemClass.B, ItemClass.C}[rnd.nextInt(4)];
                String standard = rnd.nextInt(3) == 0 ? null : price(rnd).toPlainString();
                List<String> diseases = new ArrayList<>();
                for (String disease : DISEASES) {
                    if (rnd.nextInt(4) == 0) {
                        diseases.add(disease);
                    }
                }
                item = TestData.item("X%05d%02d".formatted(n, i), cls, rx, standard, diseases.toArray(String[]::new));
                used.add(item);
            }
            String quantity = rnd.nextInt(4) == 0 ? new BigDecimal(1 + rnd.nextInt(300)).movePointLeft(2).toPlainString()
                    : String.valueOf(1 + rnd.nextInt(10));
            int days = 1 + rnd.nextInt(7);
            d.line(item, quantity, price(rnd).toPlainString(), l -> l.daysSupply = days);
        }
        if (rxDistinct > 0 || rnd.nextBoolean()) {
            String diagnosis = rnd.nextBoolean() ? null : DISEASES[rnd.nextInt(DISEASES.length)];
            d.prescription(rnd.nextInt(3) > 0, "2026-11-23T08:00:00+08:00", 1, diagnosis);
        }
        return d;
    }

    /** A unit price of 0.0001 to 500.0000 with 0 to 4 decimals. */
    private static BigDecimal price(Random rnd) {
        int decimals = rnd.nextInt(5);
        long units = 1 + (long) (rnd.nextDouble() * 500 * Math.pow(10, decimals));
        return BigDecimal.valueOf(units, decimals);
    }

    private static BigDecimal cents(Random rnd, int maxCents) {
        return BigDecimal.valueOf(rnd.nextInt(maxCents + 1), 2);
    }

    private static String pick(Random rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }
}
