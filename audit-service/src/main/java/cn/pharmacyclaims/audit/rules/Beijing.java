package cn.pharmacyclaims.audit.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Beijing time: the spec's calendar days and business hours are Beijing-time (POS-API.md), and
 * alerts show their times with the +08:00 offset. Also the window buckets that give each pattern
 * one dedupe key ("one pattern in one window gives one alert", DOMAIN.md §5).
 */
public final class Beijing {
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final long OFFSET_SECONDS = 8 * 3600L; // China has had no daylight saving time since 1991
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DHM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Beijing() {
    }

    public static OffsetDateTime at(Instant t) {
        return t.atZone(ZONE).toOffsetDateTime();
    }

    public static OffsetDateTime normalize(OffsetDateTime t) {
        return t == null ? null : at(t.toInstant());
    }

    public static LocalDate date(Instant t) {
        return t.atZone(ZONE).toLocalDate();
    }

    public static String hm(Instant t) {
        return HM.format(t.atZone(ZONE));
    }

    public static String dateHm(Instant t) {
        return DHM.format(t.atZone(ZONE));
    }

    /**
     * Start of the {@code size}-long bucket holding {@code t}, counted from Beijing midnight of
     * 1970-01-01, so minute buckets fall on the clock and day buckets on Beijing midnight.
     */
    public static Instant bucketStart(Instant t, Duration size) {
        long s = size.getSeconds();
        long local = t.getEpochSecond() + OFFSET_SECONDS;
        return Instant.ofEpochSecond(Math.floorDiv(local, s) * s - OFFSET_SECONDS);
    }

    /** A compact bucket label for dedupe keys, e.g. {@code 2026-11-23T10:10+08:00}. */
    public static String bucket(Instant t, Duration size) {
        return at(bucketStart(t, size)).toString();
    }
}
