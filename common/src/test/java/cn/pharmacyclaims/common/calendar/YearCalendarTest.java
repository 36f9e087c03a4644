package cn.pharmacyclaims.common.calendar;

import static java.time.LocalDate.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Validation of a year calendar and of the upload text format (a year at most once active). */
class YearCalendarTest {

    private static final String UPLOAD_2027 = """
            # fictitious 2027 for the test
            year 2027
            source https://example.invalid/notice-2027.htm#section-1
            off  2027-01-01            # Fri New Year's Day
            off  2027-02-06..2027-02-12
            work 2027-02-20            # Sat
            """;

    @Test
    void parsesAnUploadedYear() {
        YearCalendar year = YearCalendar.parse(UPLOAD_2027);
        assertThat(year.year()).isEqualTo(2027);
        assertThat(year.source()).isEqualTo("https://example.invalid/notice-2027.htm#section-1");
        assertThat(year.offDays()).hasSize(8).contains(of(2027, 1, 1), of(2027, 2, 6), of(2027, 2, 12));
        assertThat(year.makeUpWorkDays()).containsExactly(of(2027, 2, 20));
        assertThat(YearCalendar.parse(year.toText())).isEqualTo(year);
        assertThat(year.toText()).contains("off  2027-02-06..2027-02-12\n");
    }

    @Test
    void set04_rejectsADateOutsideItsYear() {
        assertThatThrownBy(() -> YearCalendar.of(2027, Set.of(of(2026, 12, 31)), Set.of(), "notice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("off day 2026-12-31 is outside year 2027");
        assertThatThrownBy(() -> YearCalendar.of(2027, Set.of(), Set.of(of(2028, 1, 1)), "notice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("make-up working day 2028-01-01 is outside year 2027");
    }

    @Test
    void set04_rejectsAMakeUpWorkingDayOnAWeekday() {
        assertThatThrownBy(() -> YearCalendar.of(2027, Set.of(), Set.of(of(2027, 2, 15)), "notice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("make-up working day 2027-02-15 is a MONDAY");
    }

    @Test
    void set04_rejectsADateThatIsBothOffAndWorked() {
        assertThatThrownBy(() -> YearCalendar.of(2027, Set.of(of(2027, 2, 20)), Set.of(of(2027, 2, 20)), "notice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2027-02-20 is listed both as off day and as make-up working day");
    }

    @Test
    void set04_acceptsHolidaysOnWeekends() {
        // 2026-01-03 is a Saturday inside the New Year break, as the notice lists it
        YearCalendar year = YearCalendar.of(2026, Set.of(of(2026, 1, 3)), Set.of(), "notice");
        assertThat(year.offDays()).containsExactly(of(2026, 1, 3));
    }

    @Test
    void rejectsAMissingSource() {
        assertThatThrownBy(() -> YearCalendar.of(2027, Set.of(), Set.of(), "  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source");
    }

    @Test
    void listsEveryProblemAtOnce() {
        CalendarValidationException e = catchThrowableOfType(
                () -> YearCalendar.of(2027, Set.of(of(2026, 1, 1)), Set.of(of(2027, 3, 3)), "notice"),
                CalendarValidationException.class);
        assertThat(e.problems()).containsExactly(
                "off day 2026-01-01 is outside year 2027",
                "make-up working day 2027-03-03 is a WEDNESDAY; make-up working days must fall on a Saturday or Sunday");
    }

    @Test
    void set04_aYearIsLoadedAtMostOnce() {
        YearCalendar duplicate2026 = YearCalendar.of(2026, Set.of(), Set.of(), "a second 2026 notice");
        assertThatThrownBy(() -> WorkingDayCalendar.statutory().withYear(duplicate2026))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("year 2026 is already published");
        WorkingDayCalendar with2027 = WorkingDayCalendar.statutory().withYear(YearCalendar.parse(UPLOAD_2027));
        assertThatThrownBy(() -> with2027.withYear(YearCalendar.parse(UPLOAD_2027)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("year 2027 is already published");
        assertThatThrownBy(() -> WorkingDayCalendar.of(List.of(duplicate2026, duplicate2026)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseNamesEveryBadLine() {
        String text = """
                year 2027
                source notice
                off  2026-12-31
                work 2027-02-15
                off  2027-02-31
                off  2027-02-10..2027-02-08
                holiday 2027-05-01
                work 2027-02-20
                off  2027-02-20
                """;
        CalendarValidationException e = catchThrowableOfType(() -> YearCalendar.parse(text), CalendarValidationException.class);
        assertThat(e.problems()).containsExactly(
                "line 3: off date 2026-12-31 is outside year 2027",
                "line 4: make-up working day 2027-02-15 is a MONDAY; make-up working days must fall on a Saturday or Sunday",
                "line 5: '2027-02-31' is not a date (expected yyyy-MM-dd)",
                "line 6: range 2027-02-10..2027-02-08 ends before it starts",
                "line 7: unknown keyword 'holiday' (expected year, source, off or work)",
                "line 9: 2027-02-20 is already listed on line 8");
    }

    @Test
    void parseRequiresExactlyOneYearWithASource() {
        assertThatThrownBy(() -> YearCalendar.parse("year 2027\noff 2027-01-01\n"))
                .isInstanceOf(CalendarValidationException.class)
                .hasMessageContaining("year 2027 (line 1): no 'source' line");
        assertThatThrownBy(() -> YearCalendar.parse("year 2027\nsource a\nyear 2028\nsource b\n"))
                .isInstanceOf(CalendarValidationException.class)
                .hasMessageContaining("expected exactly one 'year' block, found 2");
        assertThatThrownBy(() -> YearCalendar.parse("off 2027-01-01\n"))
                .hasMessageContaining("line 1: 'off' before the first 'year' line");
        assertThatThrownBy(() -> YearCalendar.parse("year 27\nsource a\n"))
                .hasMessageContaining("line 1: 'year' needs a four-digit year, got '27'");
        assertThatThrownBy(() -> YearCalendar.parse("# only a comment\n"))
                .hasMessageContaining("no 'year' block found");
        assertThatThrownBy(() -> WorkingDayCalendar.parse("year 2027\nsource a\nyear 2027\nsource b\n"))
                .hasMessageContaining("line 3: year 2027 appears twice");
    }

    @Test
    void theSetsAreUnmodifiable() {
        YearCalendar year = YearCalendar.parse(UPLOAD_2027);
        assertThatThrownBy(() -> year.offDays().add(of(2027, 3, 1))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> WorkingDayCalendar.statutory().publishedYears().add(2030))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
