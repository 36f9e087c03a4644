package cn.pharmacyclaims.agreement.history;

/** Where a change came from. Later: SANCTION (AUD-21, audit.sanctions), CASCADE (AGR-10), RENEWAL (AGR-05). */
public enum Source {
    STAFF, IMPORT, SCHEDULER
}
