package cn.pharmacyclaims.common.calendar;

import static java.time.LocalDate.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Counting working days (SET-04 payment deadline, AGR-02 and AGR-06 filing limits). */
class WorkingDayArithmeticTest {

    private final WorkingDayCalendar statutory = WorkingDayCalendar.statutory();

    /** A made-up 2027 (no notice exists yet): only New Year's Day, Friday 2027-01-01, off. */
    private static final YearCalendar FICTITIOUS_2027 =
            YearCalendar.of(2027, Set.of(of(2027, 1, 1)), Set.of(), "fictitious test notice");

    @Test
    void set04_thirtyWorkingDaysFromADeclarationBeforeSpringFestival2026() {
        // Declared Mon 2026-02-02 = day 0 (does not count).
        //  1- 4  Tue 2.3 .. Fri 2.6
        //  5- 9  Mon 2.9 .. Fri 2.13
        // 10     Sat 2.14 (make-up working day)
        //        Sun 2.15 .. Mon 2.23 Spring Festival, not counted
        // 11-14  Tue 2.24 .. Fri 2.27
        // 15     Sat 2.28 (make-up working day)
        // 16-20  Mon 3.2 .. Fri 3.6
        // 21-25  Mon 3.9 .. Fri 3.13
        // 26-30  Mon 3.16 .. Fri 3.20   -> due Fri 2026-03-20
        // (On weekdays alone it would be Mon 2026-03-16: six weekday holidays lost, two Saturdays gained.)
        assertThat(statutory.addWorkingDays(of(2026, 2, 2), 30)).isEqualTo(new Deadline(of(2026, 3, 20), false));
        assertThat(statutory.workingDaysBetween(of(2026, 2, 2), of(2026, 3, 20))).isEqualTo(30);
        assertThat(WorkingDayCalendar.weekdaysOnly().addWorkingDays(of(2026, 2, 2), 30).date()).isEqualTo(of(2026, 3, 16));
    }

    @Test
    void agr02_fiveWorkingDaysAcrossNationalDay2025() {
        // Received Tue 2025-09-30. 10.1-10.8 off; Thu 10.9 (1), Fri 10.10 (2), Sat 10.11 make-up (3),
        // Mon 10.13 (4), Tue 10.14 (5)
        assertThat(statutory.addWorkingDays(of(2025, 9, 30), 5).date()).isEqualTo(of(2025, 10, 14));
    }

    @Test
    void set04_dayZeroOnAHolidayCountsFromTheNextWorkingDay() {
        // Declared on Sat 2026-10-03 (inside the National Day break): first working day is Thu 10.8
        assertThat(statutory.addWorkingDays(of(2026, 10, 3), 1).date()).isEqualTo(of(2026, 10, 8));
        assertThat(statutory.addWorkingDays(of(2026, 10, 3), 0)).isEqualTo(new Deadline(of(2026, 10, 3), false));
    }

    @Test
    void set04_deadlineRunningInto2027IsProvisionalAndWeekdayOnly() {
        // Declared Tue 2026-12-15 (no holidays left in 2026):
        //  1- 3 Wed 12.16 .. Fri 12.18; 4-8 Mon 12.21 .. Fri 12.25; 9-12 Mon 12.28 .. Thu 12.31;
        // 2027 on weekdays alone: 13 Fri 1.1; 14-18 1.4-1.8; 19-23 1.11-1.15; 24-28 1.18-1.22;
        // 29 Mon 1.25; 30 Tue 1.26
        Deadline deadline = statutory.addWorkingDays(of(2026, 12, 15), 30);
        assertThat(deadline).isEqualTo(new Deadline(of(2027, 1, 26), true));
        assertThat(deadline.date()).isEqualTo(WorkingDayCalendar.weekdaysOnly().addWorkingDays(of(2026, 12, 15), 30).date());
        assertThat(statutory.countWorkingDays(of(2026, 12, 15), of(2027, 1, 26))).isEqualTo(new WorkingDayCount(30, true));
        // a count that stays inside 2026 is final
        assertThat(statutory.countWorkingDays(of(2026, 12, 15), of(2026, 12, 31))).isEqualTo(new WorkingDayCount(12, false));
    }

    @Test
    void set04_loading2027MakesTheSameDeadlineFinalAndMovesIt() {
        WorkingDayCalendar with2027 = statutory.withYear(FICTITIOUS_2027);
        // Fri 2027-01-01 is now a holiday: day 13 becomes Mon 1.4, so day 30 is Wed 1.27
        assertThat(with2027.addWorkingDays(of(2026, 12, 15), 30)).isEqualTo(new Deadline(of(2027, 1, 27), false));
        assertThat(with2027.countWorkingDays(of(2026, 12, 15), of(2027, 1, 26))).isEqualTo(new WorkingDayCount(29, false));
        assertThat(with2027.isPublished(2027)).isTrue();
        // the original calendar is unchanged (immutable)
        assertThat(statutory.isPublished(2027)).isFalse();
        assertThat(statutory.addWorkingDays(of(2026, 12, 15), 30).provisional()).isTrue();
    }

    @Test
    void set06_workingDaysBetweenIsNegativeWhenTheSecondDateIsEarlier() {
        // "working days left" on Mon 2026-03-23 for a deadline of Fri 2026-03-20: overdue by 1
        assertThat(statutory.workingDaysBetween(of(2026, 3, 23), of(2026, 3, 20))).isEqualTo(-1);
        assertThat(statutory.workingDaysBetween(of(2026, 3, 20), of(2026, 3, 20))).isZero();
        assertThat(statutory.countWorkingDays(of(2027, 1, 26), of(2026, 12, 15))).isEqualTo(new WorkingDayCount(-30, true));
    }

    @Test
    void set04_workingDaysBetweenIsTheInverseOfAddWorkingDays() {
        Random random = new Random(20260202L);
        LocalDate from = of(2017, 6, 1); // two unpublished years at either end
        int span = (int) (of(2028, 6, 30).toEpochDay() - from.toEpochDay());
        for (int i = 0; i < 2_000; i++) {
            LocalDate a = from.plusDays(random.nextInt(span));
            int n = random.nextInt(120);
            Deadline d = statutory.addWorkingDays(a, n);
            assertThat(statutory.countWorkingDays(a, d.date()))
                    .as("from %s add %d", a, n)
                    .isEqualTo(new WorkingDayCount(n, d.provisional()));
            assertThat(statutory.workingDaysBetween(d.date(), a)).isEqualTo(-n);
            if (n > 0) {
                assertThat(statutory.isWorkingDay(d.date())).as("deadline %s is a working day", d.date()).isTrue();
            }

            // between(a, b) agrees with counting isWorkingDay over (a, b], and add(a, between(a, b))
            // is b itself when b is a working day, otherwise the last working day before b
            LocalDate b = from.plusDays(random.nextInt(span));
            LocalDate lo = a.isBefore(b) ? a : b;
            LocalDate hi = a.isBefore(b) ? b : a;
            int naive = 0;
            for (LocalDate x = lo.plusDays(1); !x.isAfter(hi); x = x.plusDays(1)) {
                naive += statutory.isWorkingDay(x) ? 1 : 0;
            }
            assertThat(statutory.workingDaysBetween(lo, hi)).as("(%s, %s]", lo, hi).isEqualTo(naive);
            LocalDate back = statutory.addWorkingDays(lo, naive).date();
            assertThat(back).isBeforeOrEqualTo(hi);
            if (statutory.isWorkingDay(hi) && naive > 0) {
                assertThat(back).isEqualTo(hi);
            }
        }
    }

    @Test
    void provisionalOnlyWhenTheCountedIntervalTouchesAnUnpublishedYear() {
        // (2026-12-31, 2027-01-01] touches 2027; (2026-12-30, 2026-12-31] does not
        assertThat(statutory.countWorkingDays(of(2026, 12, 31), of(2027, 1, 1)).provisional()).isTrue();
        assertThat(statutory.countWorkingDays(of(2026, 12, 30), of(2026, 12, 31)).provisional()).isFalse();
        // starting from 2018-12-31 (unpublished) but counting only 2019 days is final
        assertThat(statutory.addWorkingDays(of(2018, 12, 31), 1)).isEqualTo(new Deadline(of(2019, 1, 2), false));
        assertThat(statutory.addWorkingDays(of(2018, 12, 28), 1)).isEqualTo(new Deadline(of(2018, 12, 31), true));
        assertThat(WorkingDayCalendar.weekdaysOnly().addWorkingDays(of(2026, 5, 1), 1).provisional()).isTrue();
    }

    @Test
    void addWorkingDaysRejectsNegativeAndAbsurdCounts() {
        assertThatThrownBy(() -> statutory.addWorkingDays(of(2026, 1, 5), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> statutory.addWorkingDays(of(2026, 1, 5), WorkingDayCalendar.MAX_WORKING_DAYS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
