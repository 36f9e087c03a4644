package cn.pharmacyclaims.audit.pharmacy;

import java.time.LocalTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pharmacy's registered opening hours, {@code HH:MM-HH:MM} in Beijing time (POS-API.md §4);
 * {@code 00:00-24:00} is all day. A range whose end is before its start runs past midnight
 * (e.g. {@code 20:00-02:00}). Used by AUD-06.
 */
public record BusinessHours(int openMinute, int closeMinute) {
    private static final Pattern FORMAT = Pattern.compile("^\\s*(\\d{2}):(\\d{2})\\s*-\\s*(\\d{2}):(\\d{2})\\s*$");
    private static final int DAY = 24 * 60;

    /** Empty when absent or not in the documented format: then AUD-06 cannot judge and stays silent. */
    public static Optional<BusinessHours> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int open = minute(m.group(1), m.group(2));
        int close = minute(m.group(3), m.group(4));
        if (open < 0 || close < 0 || open >= DAY) {
            return Optional.empty();
        }
        return Optional.of(new BusinessHours(open, close));
    }

    private static int minute(String hh, String mm) {
        int h = Integer.parseInt(hh);
        int m = Integer.parseInt(mm);
        if (m > 59 || h > 24 || (h == 24 && m != 0)) {
            return -1;
        }
        return h * 60 + m;
    }

    public boolean allDay() {
        return openMinute == closeMinute || (openMinute == 0 && closeMinute == DAY);
    }

    /** Open at this Beijing wall-clock time? The opening minute is inside, the closing minute is not. */
    public boolean isOpen(LocalTime time) {
        if (allDay()) {
            return true;
        }
        int t = time.getHour() * 60 + time.getMinute();
        if (openMinute < closeMinute) {
            return t >= openMinute && t < closeMinute;
        }
        return t >= openMinute || t < closeMinute; // past midnight
    }

    @Override
    public String toString() {
        return String.format("%02d:%02d-%02d:%02d", openMinute / 60, openMinute % 60, closeMinute / 60, closeMinute % 60);
    }
}
