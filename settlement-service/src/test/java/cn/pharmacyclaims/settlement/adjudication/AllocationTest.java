package cn.pharmacyclaims.settlement.adjudication;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static cn.pharmacyclaims.settlement.adjudication.TestData.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CLM-11.4: a benefit group's fund shared among its lines by largest remainder. */
class AllocationTest {

    @Test
    void clm11_thirdsGiveTheSpareCentToTheFirstLine() {
        // 100 cents / 3 = 33.33 each; floors 33, 33, 33 (99); remainders tie -> the first line.
        assertThat(Allocation.largestRemainder(m("1.00"), List.of(m("1.00"), m("1.00"), m("1.00"))))
                .containsExactly(m("0.34"), m("0.33"), m("0.33"));
        assertThat(Allocation.largestRemainder(m("0.02"), List.of(m("5.00"), m("5.00"), m("5.00"))))
                .containsExactly(m("0.01"), m("0.01"), m("0.00"));
    }

    @Test
    void clm11_spareCentGoesToTheLargestRemainderNotTheLargestLine() {
        // 450 cents by 2000:900: 310.34 and 139.66 -> 3.10 and 1.40.
        assertThat(Allocation.largestRemainder(m("4.50"), List.of(m("20.00"), m("9.00"))))
                .containsExactly(m("3.10"), m("1.40"));
    }

    @Test
    void clm11_exactSharesNeedNoRemainder() {
        assertThat(Allocation.largestRemainder(m("47.60"), List.of(m("50.00"), m("18.00"))))
                .containsExactly(m("35.00"), m("12.60"));
    }

    @Test
    void clm11_zeroWeightLinesGetNothing() {
        assertThat(Allocation.largestRemainder(m("5.00"), List.of(m("0.00"), m("10.00"), m("0.00"))))
                .containsExactly(m("0.00"), m("5.00"), m("0.00"));
        assertThat(Allocation.largestRemainder(m("0.00"), List.of(m("0.00"), m("0.00"))))
                .containsExactly(m("0.00"), m("0.00"));
    }

    @Test
    void clm11_aPositiveTotalOverZeroWeightsCannotBeShared() {
        assertThatThrownBy(() -> Allocation.largestRemainder(m("0.01"), List.of(m("0.00"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clm11_randomShares_sumToTheTotal_andNeverExceedTheirWeight() {
        Random rnd = new Random(42);
        for (int n = 0; n < 2000; n++) {
            int size = 1 + rnd.nextInt(10);
            List<BigDecimal> weights = new ArrayList<>();
            long sum = 0;
            for (int i = 0; i < size; i++) {
                long c = rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(100_000);
                sum += c;
                weights.add(BigDecimal.valueOf(c, 2));
            }
            BigDecimal total = BigDecimal.valueOf(sum == 0 ? 0 : (long) (rnd.nextDouble() * (sum + 1)), 2);
            List<BigDecimal> shares = Allocation.largestRemainder(total, weights);
            assertThat(shares.stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(total);
            for (int i = 0; i < size; i++) {
                assertThat(shares.get(i)).isBetween(m("0.00"), weights.get(i));
                // within one cent of the exact proportional share
                if (sum > 0) {
                    BigDecimal exact = total.multiply(weights.get(i)).divide(BigDecimal.valueOf(sum, 2), 10, RoundingMode.HALF_UP);
                    assertThat(shares.get(i).subtract(exact).abs()).isLessThan(m("0.01"));
                }
            }
        }
    }
}
