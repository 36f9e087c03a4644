package cn.pharmacyclaims.agreement.keychange;

import cn.pharmacyclaims.agreement.deadline.DeadlineStatus;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * AGR-06: a key-information change and its filing deadline.
 *
 * @param status        AWAITING_FILING, FILED, or OVERDUE (a termination ground, AGR-09; an officer decides)
 * @param filedLate     filed after the due date: a ground all the same
 */
public record KeyChangeView(long id, String pharmacyCode, List<String> items, String description, LocalDate approvedOn,
                            LocalDate filingDue, boolean filingDueProvisional, LocalDate filedOn, String status, boolean filedLate,
                            long deadlineId, DeadlineStatus deadlineStatus, OffsetDateTime overdueAt, String recordedBy,
                            OffsetDateTime recordedAt) {

    /** AGR-06 / AGR-09: an unfiled key change discovered (flagged overdue, or filed late). */
    public boolean terminationGround() {
        return overdueAt != null || filedLate;
    }
}
