package cn.pharmacyclaims.audit.cases;

/** The steps of a case (SEC-04: each one a record of its own, never edited). */
public enum CaseEventType {
    OPENED, NOTE_ADDED,
    /** The intake appended a settlement to one of the case's alerts while the case was open: it is withheld too. */
    SETTLEMENT_ADDED,
    CONFIRMED, DISMISSED,
    /** AUD-21: the sanction the confirmation led to, as published on audit.sanctions. */
    SANCTION_REQUESTED
}
