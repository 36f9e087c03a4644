package cn.pharmacyclaims.agreement.ban;

import cn.pharmacyclaims.common.security.Masking;

import java.util.regex.Pattern;

/**
 * A natural person named in an application or a ban (legal representative, actual controller, key
 * person), identified by document type and number. The number is stored (bans are matched on it)
 * but never logged or shown unmasked (AUD-23).
 */
public record Person(String idType, String idNumber) {
    public static final Pattern ID_TYPE = Pattern.compile("^[A-Z][A-Z_]{1,31}$");
    public static final Pattern ID_NUMBER = Pattern.compile("^[0-9A-Za-z]{4,40}$");

    /** The key bans and the dishonest list are matched on. */
    public String subjectKey() {
        return "PERSON:" + idType + ":" + idNumber.toUpperCase(java.util.Locale.ROOT);
    }

    /** "ID_CARD:440*************34" */
    public String masked() {
        return idType + ":" + Masking.mask(idNumber);
    }

    @Override
    public String toString() {
        return masked();
    }

    public static String pharmacyKey(String pharmacyCode) {
        return "PHARMACY:" + pharmacyCode;
    }

    /** Masks the number inside a subject key for display: PERSON:ID_CARD:440*****34. */
    public static String maskKey(String subjectKey) {
        if (subjectKey == null || !subjectKey.startsWith("PERSON:")) {
            return subjectKey;
        }
        int last = subjectKey.lastIndexOf(':');
        return subjectKey.substring(0, last + 1) + Masking.mask(subjectKey.substring(last + 1));
    }
}
