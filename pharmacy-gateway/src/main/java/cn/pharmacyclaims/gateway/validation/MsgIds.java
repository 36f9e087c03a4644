package cn.pharmacyclaims.gateway.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CLM-01 message ids: exactly 30 characters, the 12-character pharmacy code, a 14-digit
 * {@code yyyyMMddHHmmss} that is a real date and time, and a 4-digit sequence.
 */
public final class MsgIds {
    private MsgIds() {
    }

    public static final int LENGTH = 30;
    private static final Pattern PHARMACY_CODE = Pattern.compile("[A-Za-z0-9]{12}");
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9]{12}[0-9]{18}");

    public static boolean validPharmacyCode(String code) {
        return code != null && PHARMACY_CODE.matcher(code).matches();
    }

    /** Why {@code msgId} is malformed, or empty when it is well formed. */
    public static Optional<String> problem(String msgId) {
        if (msgId.length() != LENGTH) {
            return Optional.of("must be exactly 30 characters: pharmacy code (12), yyyyMMddHHmmss (14), sequence (4)");
        }
        if (!SHAPE.matcher(msgId).matches()) {
            return Optional.of("must be the pharmacy code (12) followed by yyyyMMddHHmmss (14 digits) and a 4-digit sequence");
        }
        if (!IsoDateTimes.isStamp(msgId, 12)) {
            return Optional.of("characters 13-26 must be a real date and time yyyyMMddHHmmss");
        }
        return Optional.empty();
    }

    /** The pharmacy part of a well-shaped msgId, or null. */
    public static String pharmacyOf(String msgId) {
        return msgId != null && msgId.length() >= 12 ? msgId.substring(0, 12) : null;
    }
}
