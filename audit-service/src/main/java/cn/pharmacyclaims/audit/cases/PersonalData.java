package cn.pharmacyclaims.audit.cases;

import java.util.regex.Pattern;

/**
 * AUD-23: auditors' free text (titles, notes, evidence, reasons) must not carry ID-card numbers;
 * people are named by psnNo. A mainland resident ID number is 18 characters: 6-digit area,
 * yyyyMMdd birth date, 3-digit sequence, check digit or X. Names cannot be recognised reliably and
 * are left to the auditors' discipline.
 */
public final class PersonalData {
    private static final Pattern ID_CARD = Pattern.compile(
            "(?<![0-9A-Za-z])[1-9]\\d{5}(18|19|20)\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])\\d{3}[0-9Xx](?![0-9A-Za-z])");

    private PersonalData() {
    }

    public static boolean containsIdCardNumber(String text) {
        return text != null && ID_CARD.matcher(text).find();
    }
}
