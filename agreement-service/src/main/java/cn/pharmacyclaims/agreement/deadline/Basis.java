package cn.pharmacyclaims.agreement.deadline;

/** How a time limit is counted: statutory working days (SET-04 calendar) or calendar months. */
public enum Basis {
    WORKING_DAYS, MONTHS
}
