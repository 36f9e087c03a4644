package cn.pharmacyclaims.agreement.deadline;

/** OPEN counts down; PAUSED does not (AGR-03 supplement time); MET and CANCELLED are closed; OVERDUE was flagged by the scheduler. */
public enum DeadlineStatus {
    OPEN, PAUSED, MET, OVERDUE, CANCELLED
}
