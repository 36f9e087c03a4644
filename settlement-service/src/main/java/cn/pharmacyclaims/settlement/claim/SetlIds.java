package cn.pharmacyclaims.settlement.claim;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Settlement ids: {@code S} + 12 hex digits of the creation millisecond + 20 random hex digits
 * (80 bits). They sort by creation time (useful for paging and for the eye) and never collide in
 * practice across instances, without a database sequence.
 */
public final class SetlIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private SetlIds() {
    }

    public static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long epochMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return "S" + HEX.toHexDigits(epochMillis).substring(4) + HEX.formatHex(random); // 12 of the 16 digits
    }
}
