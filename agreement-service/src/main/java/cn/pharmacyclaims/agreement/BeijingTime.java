package cn.pharmacyclaims.agreement;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/** Agreement dates are Beijing calendar dates (POS-API.md); every "now" comes from the injected {@link Clock}. */
public final class BeijingTime {
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private BeijingTime() {
    }

    /** Truncated to microseconds, PostgreSQL's precision, so what is stored equals what was decided on. */
    public static OffsetDateTime now(Clock clock) {
        return OffsetDateTime.ofInstant(clock.instant(), ZONE).truncatedTo(ChronoUnit.MICROS);
    }

    public static LocalDate today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZONE);
    }

    /** Timestamps read from PostgreSQL come back in UTC; answers show them in Beijing time. */
    public static OffsetDateTime inBeijing(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(ZONE).toOffsetDateTime();
    }
}
