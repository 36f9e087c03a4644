package cn.pharmacyclaims.agreement.deadline;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A stored deadline and how it was computed (so that a provisional one can be recomputed, SET-04).
 *
 * @param subjectType APPLICATION, KEY_CHANGE or SANCTION
 * @param round       AGR-03: the evaluation round (a re-evaluation has its own deadline)
 * @param shiftDays   AGR-03: calendar days added for the time spent supplementing materials
 */
public record TrackedDeadline(long id, String pharmacyCode, String subjectType, String subjectId, DeadlineKind kind, int round,
                              String ruleId, Basis basis, LocalDate startDate, int amount, int shiftDays, LocalDate dueDate,
                              boolean provisional, LocalDate remindOn, OffsetDateTime remindedAt, DeadlineStatus status,
                              LocalDate pausedOn, LocalDate metOn, OffsetDateTime overdueAt) {

    /** Met after its due date (shown; AGR-06 treats a late filing as a termination ground all the same). */
    public boolean isLate() {
        return metOn != null && metOn.isAfter(dueDate);
    }

    public boolean isOpen() {
        return status == DeadlineStatus.OPEN || status == DeadlineStatus.PAUSED || status == DeadlineStatus.OVERDUE;
    }

    /** "AGR-02 incomplete-materials notice due 2026-02-26 (5 working days from 2026-02-12)". */
    public String describe() {
        String unit = basis == Basis.WORKING_DAYS ? " working days" : " months";
        return ruleId + " " + kind.label() + " due " + dueDate + (provisional ? " (provisional)" : "") + " (" + amount + unit
                + " from " + startDate + (shiftDays > 0 ? ", plus " + shiftDays + " days of supplement time" : "") + ")";
    }
}
