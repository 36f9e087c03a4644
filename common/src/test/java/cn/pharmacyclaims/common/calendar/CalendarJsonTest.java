package cn.pharmacyclaims.common.calendar;

import static java.time.LocalDate.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;

import cn.pharmacyclaims.common.json.Json;

/** The calendar values travel in events and API bodies through the common JSON rules. */
class CalendarJsonTest {

    @Test
    void deadlineAndCountRoundTrip() {
        Deadline deadline = new Deadline(of(2027, 1, 26), true);
        assertThat(Json.write(deadline)).isEqualTo("{\"date\":\"2027-01-26\",\"provisional\":true}");
        assertThat(Json.read(Json.write(deadline), Deadline.class)).isEqualTo(deadline);
        WorkingDayCount count = new WorkingDayCount(-3, false);
        assertThat(Json.read(Json.write(count), WorkingDayCount.class)).isEqualTo(count);
    }

    @Test
    void yearCalendarRoundTripsAndIsValidatedWhenRead() {
        YearCalendar year = YearCalendar.of(2027, Set.of(of(2027, 1, 1)), Set.of(of(2027, 2, 20)), "notice");
        String json = Json.write(year);
        assertThat(json).contains("\"offDays\":[\"2027-01-01\"]");
        assertThat(Json.read(json, YearCalendar.class)).isEqualTo(year);
        String bad = json.replace("2027-02-20", "2027-02-22"); // a Monday
        assertThatThrownBy(() -> Json.read(bad, YearCalendar.class)).hasMessageContaining("2027-02-22");
    }
}
