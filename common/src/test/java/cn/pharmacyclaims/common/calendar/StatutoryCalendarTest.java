package cn.pharmacyclaims.common.calendar;

import static java.time.LocalDate.of;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled calendar against the State Council notices (SET-04). Every expected date below
 * was read by hand from the notices (gov.cn content_6986383 for 2025, content_7047091 for 2026).
 */
class StatutoryCalendarTest {

    private final WorkingDayCalendar calendar = WorkingDayCalendar.statutory();

    @Test
    void set04_bundledYearsAre2019To2026And2027IsNotPublished() {
        assertThat(calendar.publishedYears()).containsExactlyElementsOf(
                IntStream.rangeClosed(2019, 2026).boxed().toList());
        assertThat(calendar.isPublished(2027)).isFalse();
        assertThat(calendar.isPublished(2018)).isFalse();
        assertThat(calendar.year(2026).orElseThrow().source()).contains("content_7047091");
        assertThat(WorkingDayCalendar.statutory()).isSameAs(calendar); // loaded once
    }

    @Test
    void set04_springFestival2025_offJan28ToFeb4_makeUpSunJan26AndSatFeb8() {
        // 2025: 1.28 (Tue) .. 2.4 (Tue) off; 1.26 (Sun) and 2.8 (Sat) worked
        assertThat(calendar.isWorkingDay(of(2025, 1, 24))).isTrue();  // Fri
        assertThat(calendar.isWorkingDay(of(2025, 1, 25))).isFalse(); // plain Saturday
        assertThat(calendar.isWorkingDay(of(2025, 1, 26))).isTrue();  // make-up Sunday
        assertThat(calendar.isWorkingDay(of(2025, 1, 27))).isTrue();  // Monday before the break
        for (LocalDate d = of(2025, 1, 28); !d.isAfter(of(2025, 2, 4)); d = d.plusDays(1)) {
            assertThat(calendar.isWorkingDay(d)).as(d.toString()).isFalse();
        }
        assertThat(calendar.isWorkingDay(of(2025, 2, 5))).isTrue();   // Wed, back to work
        assertThat(calendar.isWorkingDay(of(2025, 2, 8))).isTrue();   // make-up Saturday
        assertThat(calendar.isWorkingDay(of(2025, 2, 9))).isFalse();  // plain Sunday
        // 2025-01-24 (Fri) .. 2025-02-10 (Mon): 1.26, 1.27, 2.5, 2.6, 2.7, 2.8, 2.10 = 7
        assertThat(calendar.workingDaysBetween(of(2025, 1, 24), of(2025, 2, 10))).isEqualTo(7);
    }

    @Test
    void set04_springFestival2026_offFeb15ToFeb23_makeUpSatFeb14AndSatFeb28() {
        // 2026: 2.15 (Sun) .. 2.23 (Mon) off; 2.14 (Sat) and 2.28 (Sat) worked
        assertThat(calendar.isWorkingDay(of(2026, 2, 13))).isTrue();  // Fri
        assertThat(calendar.isWorkingDay(of(2026, 2, 14))).isTrue();  // make-up Saturday
        for (LocalDate d = of(2026, 2, 15); !d.isAfter(of(2026, 2, 23)); d = d.plusDays(1)) {
            assertThat(calendar.isWorkingDay(d)).as(d.toString()).isFalse();
        }
        assertThat(calendar.isWorkingDay(of(2026, 2, 24))).isTrue();  // Tue, back to work
        assertThat(calendar.isWorkingDay(of(2026, 2, 28))).isTrue();  // make-up Saturday
        assertThat(calendar.isWorkingDay(of(2026, 3, 1))).isFalse();  // plain Sunday
    }

    @Test
    void set04_nationalDay2025_offOct1ToOct8_makeUpSunSep28AndSatOct11() {
        assertThat(calendar.isWorkingDay(of(2025, 9, 28))).isTrue();  // make-up Sunday
        assertThat(calendar.isWorkingDay(of(2025, 9, 30))).isTrue();  // Tue
        for (LocalDate d = of(2025, 10, 1); !d.isAfter(of(2025, 10, 8)); d = d.plusDays(1)) {
            assertThat(calendar.isWorkingDay(d)).as(d.toString()).isFalse();
        }
        assertThat(calendar.isWorkingDay(of(2025, 10, 9))).isTrue();  // Thu
        assertThat(calendar.isWorkingDay(of(2025, 10, 11))).isTrue(); // make-up Saturday
        assertThat(calendar.isWorkingDay(of(2025, 10, 12))).isFalse(); // plain Sunday
    }

    @Test
    void set04_nationalDay2026_offOct1ToOct7_makeUpSunSep20AndSatOct10_midAutumnSep25To27() {
        assertThat(calendar.isWorkingDay(of(2026, 9, 20))).isTrue();  // make-up Sunday
        assertThat(calendar.isWorkingDay(of(2026, 9, 25))).isFalse(); // Mid-Autumn, a Friday
        assertThat(calendar.isWorkingDay(of(2026, 9, 30))).isTrue();  // Wed
        for (LocalDate d = of(2026, 10, 1); !d.isAfter(of(2026, 10, 7)); d = d.plusDays(1)) {
            assertThat(calendar.isWorkingDay(d)).as(d.toString()).isFalse();
        }
        assertThat(calendar.isWorkingDay(of(2026, 10, 8))).isTrue();  // Thu
        assertThat(calendar.isWorkingDay(of(2026, 10, 10))).isTrue(); // make-up Saturday
        assertThat(calendar.isWorkingDay(of(2026, 10, 11))).isFalse(); // plain Sunday
    }

    @Test
    void set04_makeUpSaturdayCountsAsAWorkingDay() {
        // Fri 2026-02-13 + 1 working day = the make-up Saturday 2026-02-14
        assertThat(calendar.addWorkingDays(of(2026, 2, 13), 1)).isEqualTo(new Deadline(of(2026, 2, 14), false));
        // (2.13, 2.16]: Sat 2.14 counts, Sun 2.15 and Mon 2.16 are holidays
        assertThat(calendar.workingDaysBetween(of(2026, 2, 13), of(2026, 2, 16))).isEqualTo(1);
        // the same span on weekdays alone would be 1 as well but on a different day: Mon 2.16
        assertThat(WorkingDayCalendar.weekdaysOnly().addWorkingDays(of(2026, 2, 13), 1).date()).isEqualTo(of(2026, 2, 16));
    }

    @Test
    void set04_datesOutsideThePublishedYearsAreWeekdayOnly() {
        // 2018-12-31 (Mon) was a holiday by the 2019 notice, but 2018 is not published here
        assertThat(calendar.isWorkingDay(of(2018, 12, 31))).isTrue();
        assertThat(calendar.isWorkingDay(of(2019, 1, 1))).isFalse();
        // 2020: Spring Festival extended to Sun 2020-02-02 (second notice); Mon 2.3 back to work
        assertThat(calendar.isWorkingDay(of(2020, 1, 31))).isFalse();
        assertThat(calendar.isWorkingDay(of(2020, 2, 3))).isTrue();
        assertThat(calendar.isWorkingDay(of(2027, 1, 1))).isTrue();   // a Friday; 2027 unpublished
        assertThat(calendar.isWorkingDay(of(2027, 1, 2))).isFalse();  // a Saturday
    }

    @ParameterizedTest
    @ValueSource(ints = {2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026})
    void bundledYearRoundTripsThroughTheUploadFormat(int year) {
        YearCalendar published = calendar.year(year).orElseThrow();
        assertThat(YearCalendar.parse(published.toText())).isEqualTo(published);
    }
}
