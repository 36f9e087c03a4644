package cn.pharmacyclaims.gateway.validation;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 date-times as every POS call carries them (X-Timestamp, occurredAt, issuedAt, the
 * msgId's stamp), read without the general-purpose formatter on the common shapes: a POS call
 * has three or four of them and {@link DateTimeFormatter} costs microseconds each. The fast path
 * takes only {@code yyyy-MM-ddTHH:mm[:ss[.f{1,9}]]} followed by {@code Z} or {@code ±HH:MM} and
 * builds the value with the same range checks as the strict ISO formatter; anything else (other
 * spellings the formatter also accepts, and every invalid input) goes to
 * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, so what is accepted, what is refused and the
 * value read are exactly the formatter's.
 */
public final class IsoDateTimes {
    private IsoDateTimes() {
    }

    /** As {@code OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)}, same exceptions. */
    public static OffsetDateTime parseOffsetDateTime(String text) {
        OffsetDateTime fast = fast(text);
        return fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /**
     * Whether 14 characters from {@code from} are a real {@code uuuuMMddHHmmss} (strict), as
     * {@code LocalDateTime.parse(s, ofPattern("uuuuMMddHHmmss").withResolverStyle(STRICT))} decides.
     */
    public static boolean isStamp(String s, int from) {
        if (s.length() < from + 14) {
            return false;
        }
        for (int i = from; i < from + 14; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        try {
            LocalDateTime.of(num(s, from, 4), num(s, from + 4, 2), num(s, from + 6, 2), num(s, from + 8, 2),
                    num(s, from + 10, 2), num(s, from + 12, 2));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** The value when {@code text} has one of the common shapes and is valid; null otherwise (the formatter decides). */
    static OffsetDateTime fast(String text) {
        int n = text.length();
        // yyyy-MM-ddTHH:mm is 16 characters, then at least Z
        if (n < 17 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 2) || text.charAt(7) != '-'
                || !digits(text, 8, 2) || text.charAt(10) != 'T' || !digits(text, 11, 2) || text.charAt(13) != ':'
                || !digits(text, 14, 2)) {
            return null;
        }
        int i = 16;
        int second = 0;
        int nano = 0;
        if (text.charAt(i) == ':') {
            if (!digits(text, i + 1, 2)) {
                return null;
            }
            second = num(text, i + 1, 2);
            i += 3;
            if (i < n && text.charAt(i) == '.') {
                int start = ++i;
                while (i < n && i - start < 10 && isDigit(text.charAt(i))) {
                    i++;
                }
                int len = i - start;
                if (len < 1 || len > 9) {
                    return null;
                }
                nano = num(text, start, len);
                for (int k = len; k < 9; k++) {
                    nano *= 10;
                }
            }
        }
        if (i >= n) {
            return null;
        }
        ZoneOffset offset;
        char sign = text.charAt(i);
        try {
            if (sign == 'Z' && i + 1 == n) {
                offset = ZoneOffset.UTC;
            } else if ((sign == '+' || sign == '-') && i + 6 == n && digits(text, i + 1, 2) && text.charAt(i + 3) == ':'
                    && digits(text, i + 4, 2)) {
                int h = num(text, i + 1, 2);
                int m = num(text, i + 4, 2);
                offset = sign == '+' ? ZoneOffset.ofHoursMinutes(h, m) : ZoneOffset.ofHoursMinutes(-h, -m);
            } else {
                return null;
            }
            return OffsetDateTime.of(num(text, 0, 4), num(text, 5, 2), num(text, 8, 2), num(text, 11, 2), num(text, 14, 2),
                    second, nano, offset);
        } catch (DateTimeException e) {
            return null;   // out of range: the formatter says so in its own words
        }
    }

    private static boolean digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int num(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
