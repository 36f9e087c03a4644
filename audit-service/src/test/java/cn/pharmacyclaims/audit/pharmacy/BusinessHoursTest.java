package cn.pharmacyclaims.audit.pharmacy;

import org.junit.jupiter.api.Test;

import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;

/** AUD-06's reading of the registered hours (POS-API.md §4 format). */
class BusinessHoursTest {

    @Test
    void parsesTheDocumentedFormat() {
        BusinessHours h = BusinessHours.parse("08:00-22:00").orElseThrow();
        assertThat(h.isOpen(LocalTime.of(8, 0))).isTrue();
        assertThat(h.isOpen(LocalTime.of(21, 59))).isTrue();
        assertThat(h.isOpen(LocalTime.of(22, 0))).isFalse();
        assertThat(h.isOpen(LocalTime.of(7, 59))).isFalse();
        assertThat(h.toString()).isEqualTo("08:00-22:00");
    }

    @Test
    void allDayAndPastMidnight() {
        BusinessHours all = BusinessHours.parse("00:00-24:00").orElseThrow();
        assertThat(all.isOpen(LocalTime.of(3, 0))).isTrue();
        assertThat(all.isOpen(LocalTime.of(23, 59))).isTrue();
        BusinessHours night = BusinessHours.parse("20:00-02:00").orElseThrow();
        assertThat(night.isOpen(LocalTime.of(1, 59))).isTrue();
        assertThat(night.isOpen(LocalTime.of(2, 0))).isFalse();
        assertThat(night.isOpen(LocalTime.of(20, 0))).isTrue();
    }

    @Test
    void rejectsWhatIsNotTheFormat() {
        assertThat(BusinessHours.parse(null)).isEmpty();
        assertThat(BusinessHours.parse("8-22")).isEmpty();
        assertThat(BusinessHours.parse("08:60-22:00")).isEmpty();
        assertThat(BusinessHours.parse("24:30-22:00")).isEmpty();
        assertThat(BusinessHours.parse("closed")).isEmpty();
    }
}
