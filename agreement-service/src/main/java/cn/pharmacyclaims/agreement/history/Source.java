package cn.pharmacyclaims.agreement.history;

/**
 * Where a change came from: staff (API), the admin import, the scheduler, a sanction from audit
 * (AUD-21, audit.sanctions), the cross-region cascade (AGR-10), or an application (AGR-04 signing,
 * AGR-05 renewal).
 */
public enum Source {
    STAFF, IMPORT, SCHEDULER, SANCTION, CASCADE, APPLICATION
}
