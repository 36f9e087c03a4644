package cn.pharmacyclaims.agreement.pharmacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Registered business hours {@code HH:MM-HH:MM} (POS-API.md section 4), read by AUD-06 (settlements
 * outside business hours). {@code 00:00-24:00} means open all day; 24:00 is allowed only as the
 * end. The start must be before the end: a pharmacy open across midnight registers 00:00-24:00.
 */
public final class BusinessHours {
    private static final Pattern FORMAT = Pattern.compile("^(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})$");

    private BusinessHours() {
    }

    /** Null when valid, else what is wrong. */
    public static String problem(String value) {
        if (value == null || value.isBlank()) {
            return "is required, HH:MM-HH:MM (00:00-24:00 for all day)";
        }
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            return "must be HH:MM-HH:MM (00:00-24:00 for all day)";
        }
        int start = minutes(m.group(1), m.group(2), false);
        int end = minutes(m.group(3), m.group(4), true);
        if (start < 0) {
            return "opening time " + m.group(1) + ":" + m.group(2) + " is not a time of day (00:00-23:59)";
        }
        if (end < 0) {
            return "closing time " + m.group(3) + ":" + m.group(4) + " is not a time of day (00:01-24:00)";
        }
        if (start >= end) {
            return "opening time must be before closing time (use 00:00-24:00 for all day)";
        }
        return null;
    }

    private static int minutes(String hh, String mm, boolean end) {
        int h = Integer.parseInt(hh);
        int m = Integer.parseInt(mm);
        if (m > 59) {
            return -1;
        }
        if (h == 24 && m == 0 && end) {
            return 24 * 60;
        }
        return h > 23 ? -1 : h * 60 + m;
    }
}
