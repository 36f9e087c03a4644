package cn.pharmacyclaims.agreement.deadline;

import cn.pharmacyclaims.common.calendar.Deadline;
import cn.pharmacyclaims.common.calendar.WorkingDayCalendar;

import java.time.LocalDate;

/**
 * The time limits of the agreement lifecycle as plain Java (unit-tested without Quarkus): working-day
 * limits on the statutory calendar (the start day is day 0, SET-04), month limits on the calendar.
 * A working-day limit that runs into a year whose calendar is not published yet is provisional and
 * is recomputed when that year is loaded.
 */
public final class DeadlineRules {

    /**
     * @param incompleteNoticeWorkingDays AGR-02 (5)
     * @param evaluationMonths            AGR-03 (3)
     * @param reEvaluationAfterMonths     AGR-03: a FAIL may be re-evaluated after this many months of rectification (3)
     * @param keyChangeFilingWorkingDays  AGR-06 (30)
     * @param rectificationWorkingDays    AUD-21 interview: rectification deadline (design choice: 30)
     * @param reminderWorkingDays         a reminder is recorded this many working days before a deadline
     * @param renewalWindowMonths         AGR-05: renewal applications open this many months before expiry (3)
     */
    public record Settings(int incompleteNoticeWorkingDays, int evaluationMonths, int reEvaluationAfterMonths,
                           int keyChangeFilingWorkingDays, int rectificationWorkingDays, int reminderWorkingDays,
                           int renewalWindowMonths) {
        public Settings {
            if (incompleteNoticeWorkingDays < 1 || evaluationMonths < 1 || reEvaluationAfterMonths < 0
                    || keyChangeFilingWorkingDays < 1 || rectificationWorkingDays < 1 || reminderWorkingDays < 0
                    || renewalWindowMonths < 1) {
                throw new IllegalArgumentException("deadline settings must be positive");
            }
        }

        public static Settings defaults() {
            return new Settings(5, 3, 3, 30, 30, 3, 3);
        }

        /** How much a deadline of this kind allows, in its basis' unit. */
        public int amount(DeadlineKind kind) {
            return switch (kind) {
                case INCOMPLETE_NOTICE -> incompleteNoticeWorkingDays;
                case EVALUATION -> evaluationMonths;
                case FILING -> keyChangeFilingWorkingDays;
                case RECTIFICATION -> rectificationWorkingDays;
            };
        }
    }

    /**
     * @param due         the last day to act
     * @param provisional counted through a year without a published calendar (weekdays only)
     * @param remindOn    the day a reminder is due: {@code reminderWorkingDays} working days before {@code due}
     */
    public record Computed(LocalDate due, boolean provisional, LocalDate remindOn) {
    }

    private DeadlineRules() {
    }

    /**
     * The due date of a limit of {@code amount} units from {@code start}, moved later by {@code shiftDays}
     * calendar days (AGR-03: time spent supplementing materials does not count).
     */
    public static Computed compute(WorkingDayCalendar calendar, Basis basis, LocalDate start, int amount, int shiftDays,
                                   int reminderWorkingDays) {
        if (shiftDays < 0) {
            throw new IllegalArgumentException("a shift cannot be negative");
        }
        LocalDate due;
        boolean provisional;
        if (basis == Basis.WORKING_DAYS) {
            Deadline d = calendar.addWorkingDays(start, amount);
            due = d.date().plusDays(shiftDays);
            provisional = d.provisional();
        } else {
            // calendar months: "3 months from 2026-01-31" is 2026-04-30 (java.time clamps to the month's end)
            due = start.plusMonths(amount).plusDays(shiftDays);
            provisional = false;
        }
        LocalDate remind = workingDaysBefore(calendar, due, reminderWorkingDays);
        return new Computed(due, provisional, remind.isBefore(start) ? start : remind);
    }

    /** The day from which exactly {@code n} working days remain up to and including {@code due}. */
    public static LocalDate workingDaysBefore(WorkingDayCalendar calendar, LocalDate due, int n) {
        LocalDate d = due;
        int counted = 0;
        while (counted < n) {
            if (calendar.isWorkingDay(d)) {
                counted++;
            }
            d = d.minusDays(1);
        }
        return d;
    }

    /** AGR-03: the first day a FAIL may be re-evaluated, counted from the day the result was delivered. */
    public static LocalDate reEvaluationFrom(LocalDate resultDeliveredOn, Settings settings) {
        return resultDeliveredOn.plusMonths(settings.reEvaluationAfterMonths());
    }

    /** AGR-05: the first day a renewal application is accepted for a term ending on {@code validTo}. */
    public static LocalDate renewalWindowOpens(LocalDate validTo, Settings settings) {
        return validTo.minusMonths(settings.renewalWindowMonths());
    }
}
