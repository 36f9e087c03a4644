package cn.pharmacyclaims.settlement.adjudication;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Shares a total among lines in proportion to weights, in whole cents, by the largest-remainder
 * method: each line gets the floor of its exact share, and the cents left over go one each to
 * the lines with the largest remainders (ties to the earlier line). The shares always sum to the
 * total exactly, and with a total not above the sum of weights no share exceeds its weight.
 */
final class Allocation {
    private Allocation() {
    }

    /**
     * @param total   scale-2 amount, not negative
     * @param weights scale-2 amounts, not negative; if they sum to 0, total must be 0
     */
    static List<BigDecimal> largestRemainder(BigDecimal total, List<BigDecimal> weights) {
        BigInteger t = cents(total);
        BigInteger[] w = weights.stream().map(Allocation::cents).toArray(BigInteger[]::new);
        BigInteger sum = Arrays.stream(w).reduce(BigInteger.ZERO, BigInteger::add);
        if (t.signum() < 0 || Arrays.stream(w).anyMatch(x -> x.signum() < 0)) {
            throw new IllegalArgumentException("negative amount to allocate");
        }
        if (sum.signum() == 0) {
            if (t.signum() != 0) {
                throw new IllegalArgumentException("cannot allocate " + total + " over zero weights");
            }
            return weights.stream().map(x -> BigDecimal.ZERO.setScale(2)).toList();
        }
        BigInteger[] share = new BigInteger[w.length];
        BigInteger[] remainder = new BigInteger[w.length];
        BigInteger given = BigInteger.ZERO;
        for (int i = 0; i < w.length; i++) {
            BigInteger[] qr = t.multiply(w[i]).divideAndRemainder(sum);
            share[i] = qr[0];
            remainder[i] = qr[1];
            given = given.add(qr[0]);
        }
        int left = t.subtract(given).intValueExact(); // fewer cents than lines
        List<Integer> order = new ArrayList<>(IntStream.range(0, w.length).boxed().toList());
        order.sort(Comparator.<Integer, BigInteger>comparing(i -> remainder[i]).reversed().thenComparingInt(i -> i));
        for (int k = 0; k < left; k++) {
            int i = order.get(k);
            share[i] = share[i].add(BigInteger.ONE);
        }
        return Arrays.stream(share).map(c -> new BigDecimal(c, 2)).toList();
    }

    private static BigInteger cents(BigDecimal amount) {
        return amount.setScale(2).unscaledValue(); // throws if the amount has more than 2 decimals
    }
}
