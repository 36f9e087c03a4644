package cn.pharmacyclaims.common.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Yuan amounts (CLM-10): exact decimals, 0.01 rounded half-up. */
public final class Money {
    private Money() {
    }

    public static final BigDecimal ZERO = new BigDecimal("0.00");

    public static BigDecimal round(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP);
    }

    public static BigDecimal of(String value) {
        return round(new BigDecimal(value));
    }

    public static BigDecimal min(BigDecimal a, BigDecimal b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static BigDecimal max(BigDecimal a, BigDecimal b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static boolean isRound50(BigDecimal amount) {
        return amount.signum() > 0 && amount.remainder(new BigDecimal("50")).signum() == 0;
    }
}
