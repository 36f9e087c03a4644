package cn.pharmacyclaims.agreement.lifecycle;

/**
 * AGR-09 grounds for termination. Kept as a closed list because AGR-12 derives reapplication bans
 * from the ground (illegal acts: 3 years; serious breach: 1 year). The system-derived grounds
 * cannot be claimed by an officer.
 */
public enum TerminationGround {
    /** AGR-09: suspended N times within one agreement term (derived by the state machine). */
    REPEATED_SUSPENSION(false),
    /** AGR-07: a pharmacy-requested suspension outlasted its maximum length (derived by the scheduler). */
    REQUESTED_SUSPENSION_NOT_RESUMED(false),
    APPLICATION_FRAUD(true),
    FORGED_RECORDS(true),
    GOODS_SWAPPING(true),
    CASHING_OUT(true),
    SETTLING_FOR_OTHERS(true),
    DEVICE_MISUSE(true),
    OBSTRUCTING_AUDIT(true),
    LICENCE_REVOKED(true),
    DRUG_SAFETY_INCIDENT(true),
    /** AGR-06: an unfiled key-information change discovered. */
    UNFILED_KEY_CHANGE(true),
    /** The pharmacy's own request (3 months' notice). */
    PHARMACY_REQUEST(true),
    OTHER(true);

    private final boolean staffMayClaim;

    TerminationGround(boolean staffMayClaim) {
        this.staffMayClaim = staffMayClaim;
    }

    public boolean staffMayClaim() {
        return staffMayClaim;
    }
}
