package cn.pharmacyclaims.audit.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimeAndPlaceTest {

    @Test
    void haversine_guangzhouToShenzhen_isAbout105Km() {
        assertThat(Geo.km(23.1291, 113.2644, 22.5431, 114.0579)).isCloseTo(104.5, within(2.0));
        assertThat(Geo.km(23.1291, 113.2644, 23.1291, 113.2644)).isZero();
    }

    @Test
    void buckets_fallOnTheClockAndOnBeijingMidnight() {
        Instant t = OffsetDateTime.parse("2026-11-23T10:17:42+08:00").toInstant();
        assertThat(Beijing.at(Beijing.bucketStart(t, Duration.ofMinutes(10)))).isEqualTo("2026-11-23T10:10+08:00");
        assertThat(Beijing.at(Beijing.bucketStart(t, Duration.ofHours(1)))).isEqualTo("2026-11-23T10:00+08:00");
        assertThat(Beijing.at(Beijing.bucketStart(t, Duration.ofDays(1)))).isEqualTo("2026-11-23T00:00+08:00");
        // 07:00 Beijing is 23:00 UTC the day before: still the Beijing day
        Instant early = OffsetDateTime.parse("2026-11-23T07:00:00+08:00").toInstant();
        assertThat(Beijing.date(early)).isEqualTo("2026-11-23");
        assertThat(Beijing.at(Beijing.bucketStart(early, Duration.ofDays(1)))).isEqualTo("2026-11-23T00:00+08:00");
    }

    @Test
    void normalize_keepsTheInstant_showsBeijingOffset() {
        OffsetDateTime utc = OffsetDateTime.parse("2026-11-23T02:15:00Z");
        assertThat(Beijing.normalize(utc).toString()).isEqualTo("2026-11-23T10:15+08:00");
        assertThat(Beijing.normalize(utc).toInstant()).isEqualTo(utc.toInstant());
    }
}
