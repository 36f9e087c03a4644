package cn.pharmacyclaims.agreement.deadline;

import cn.pharmacyclaims.common.calendar.WorkingDayCalendar;
import cn.pharmacyclaims.common.calendar.YearCalendar;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time limits on the bundled statutory calendar. Expected dates counted by hand from
 * common/src/main/resources/calendar/cn-statutory-calendar.txt (the start day is day 0).
 */
class DeadlineRulesTest {
    static final WorkingDayCalendar CAL = WorkingDayCalendar.statutory();
    static final DeadlineRules.Settings S = DeadlineRules.Settings.defaults();

    static DeadlineRules.Computed workingDays(String start, int n) {
        return DeadlineRules.compute(CAL, Basis.WORKING_DAYS, LocalDate.parse(start), n, 0, 3);
    }

    @Test
    void agr02_noticeWithin5WorkingDays_acrossSpringFestival2026_makeUpSaturdayCounts() {
        // receipt Thu 02-12; 02-13 Fri (1), 02-14 make-up Saturday (2), 02-15..02-23 off, 02-24 (3), 02-25 (4), 02-26 (5)
        DeadlineRules.Computed c = workingDays("2026-02-12", 5);
        assertThat(c.due()).isEqualTo(LocalDate.of(2026, 2, 26));
        assertThat(c.provisional()).isFalse();
    }

    @Test
    void agr02_noticeWithin5WorkingDays_acrossSpringFestival2025_makeUpSundayCounts() {
        // receipt Fri 01-24; 01-26 make-up Sunday (1), 01-27 (2), 01-28..02-04 off, 02-05 (3), 02-06 (4), 02-07 (5)
        assertThat(workingDays("2025-01-24", 5).due()).isEqualTo(LocalDate.of(2025, 2, 7));
    }

    @Test
    void agr06_filingWithin30WorkingDays_acrossNationalDay2025_withTwoMakeUpDays() {
        // approval Thu 09-25; 09-26 (1), 09-28 make-up Sunday (2), 09-29 (3), 09-30 (4), 10-01..10-08 off, 10-09 (5), 10-10 (6),
        // 10-11 make-up Saturday (7), then 10-13..11-07 is 20 weekdays (27), 11-10 (28), 11-11 (29), 11-12 (30)
        DeadlineRules.Computed c = workingDays("2025-09-25", 30);
        assertThat(c.due()).isEqualTo(LocalDate.of(2025, 11, 12));
        assertThat(c.provisional()).isFalse();
    }

    @Test
    void agr06_filingWithin30WorkingDays_acrossMidAutumnAndNationalDay2026_makeUpSaturdayCounts() {
        // approval Thu 09-24; 09-25..09-27 off, 09-28..09-30 (3), 10-01..10-07 off, 10-08 (4), 10-09 (5), 10-10 make-up Saturday (6),
        // 10-12..11-06 is 20 weekdays (26), 11-09 (27) .. 11-12 (30)
        assertThat(workingDays("2026-09-24", 30).due()).isEqualTo(LocalDate.of(2026, 11, 12));
        assertThat(workingDays("2026-09-24", 5).due()).isEqualTo(LocalDate.of(2026, 10, 9));
    }

    @Test
    void set04_aDeadlineRunningIntoAnUnpublishedYearIsProvisionalAndFinalOnceTheYearIsLoaded() {
        DeadlineRules.Computed before = workingDays("2026-11-20", 30);
        assertThat(before.due()).isEqualTo(LocalDate.of(2027, 1, 1)); // weekdays only in 2027
        assertThat(before.provisional()).isTrue();

        WorkingDayCalendar with2027 = CAL.withYear(YearCalendar.parse("""
                year 2027
                source test notice
                off 2027-01-01..2027-01-03
                """));
        DeadlineRules.Computed after = DeadlineRules.compute(with2027, Basis.WORKING_DAYS, LocalDate.of(2026, 11, 20), 30, 0, 3);
        assertThat(after.due()).isEqualTo(LocalDate.of(2027, 1, 4));
        assertThat(after.provisional()).isFalse();
    }

    @Test
    void agr03_evaluationIsCountedInCalendarMonthsAndMovesByTheSupplementTime() {
        DeadlineRules.Computed plain = DeadlineRules.compute(CAL, Basis.MONTHS, LocalDate.of(2026, 1, 31), 3, 0, 3);
        assertThat(plain.due()).isEqualTo(LocalDate.of(2026, 4, 30));
        assertThat(plain.provisional()).isFalse();
        DeadlineRules.Computed shifted = DeadlineRules.compute(CAL, Basis.MONTHS, LocalDate.of(2026, 2, 12), 3, 20, 3);
        assertThat(shifted.due()).isEqualTo(LocalDate.of(2026, 6, 1));
    }

    @Test
    void remindersFallTheGivenWorkingDaysBeforeTheDueDateButNeverBeforeTheStart() {
        // (02-23, 02-26] holds three working days: 02-24, 02-25, 02-26
        assertThat(DeadlineRules.workingDaysBefore(CAL, LocalDate.of(2026, 2, 26), 3)).isEqualTo(LocalDate.of(2026, 2, 23));
        assertThat(workingDays("2026-02-12", 5).remindOn()).isEqualTo(LocalDate.of(2026, 2, 23));
        assertThat(workingDays("2026-02-12", 1).remindOn()).isEqualTo(LocalDate.of(2026, 2, 12));
    }

    @Test
    void agr03_reEvaluationWaitsThreeMonthsFromDelivery_agr05_renewalWindowOpensThreeMonthsBeforeExpiry() {
        assertThat(DeadlineRules.reEvaluationFrom(LocalDate.of(2026, 4, 1), S)).isEqualTo(LocalDate.of(2026, 7, 1));
        assertThat(DeadlineRules.renewalWindowOpens(LocalDate.of(2027, 1, 31), S)).isEqualTo(LocalDate.of(2026, 10, 31));
    }

    @Test
    void eachKindHasItsRuleAndAmount() {
        assertThat(S.amount(DeadlineKind.INCOMPLETE_NOTICE)).isEqualTo(5);
        assertThat(S.amount(DeadlineKind.EVALUATION)).isEqualTo(3);
        assertThat(S.amount(DeadlineKind.FILING)).isEqualTo(30);
        assertThat(DeadlineKind.FILING.ruleId()).isEqualTo("AGR-06");
        assertThat(DeadlineKind.EVALUATION.basis()).isEqualTo(Basis.MONTHS);
    }
}
