package cn.pharmacyclaims.agreement.lifecycle;

/**
 * AGR-09 grounds for termination. Kept as a closed list because AGR-12 derives reapplication bans
 * from the ground ({@link BanCategory}). The system-derived grounds cannot be claimed by an officer.
 */
public enum TerminationGround {
    /** AGR-09: suspended N times within one agreement term (derived by the state machine). */
    REPEATED_SUSPENSION(false, BanCategory.SERIOUS_BREACH),
    /** AGR-07: a pharmacy-requested suspension outlasted its maximum length (derived by the scheduler). */
    REQUESTED_SUSPENSION_NOT_RESUMED(false, BanCategory.NONE),
    APPLICATION_FRAUD(true, BanCategory.APPLICATION_FRAUD),
    FORGED_RECORDS(true, BanCategory.ILLEGAL_ACTS),
    GOODS_SWAPPING(true, BanCategory.ILLEGAL_ACTS),
    CASHING_OUT(true, BanCategory.ILLEGAL_ACTS),
    SETTLING_FOR_OTHERS(true, BanCategory.ILLEGAL_ACTS),
    DEVICE_MISUSE(true, BanCategory.SERIOUS_BREACH),
    OBSTRUCTING_AUDIT(true, BanCategory.SERIOUS_BREACH),
    LICENCE_REVOKED(true, BanCategory.NONE),
    DRUG_SAFETY_INCIDENT(true, BanCategory.SERIOUS_BREACH),
    /** AGR-06: an unfiled key-information change discovered. */
    UNFILED_KEY_CHANGE(true, BanCategory.SERIOUS_BREACH),
    /** The pharmacy's own request (3 months' notice). */
    PHARMACY_REQUEST(true, BanCategory.NONE),
    OTHER(true, BanCategory.NONE);

    /**
     * AGR-12: which reapplication ban a termination on this ground carries. Design choice for the
     * grounds the rule does not name: the named frauds (AGR-09 list) are illegal acts; breaches of the
     * agreement's duties are serious breaches; the pharmacy's own request, a revoked licence and
     * "other" carry no ban (an officer records one by hand when due).
     */
    public enum BanCategory { APPLICATION_FRAUD, ILLEGAL_ACTS, SERIOUS_BREACH, NONE }

    private final boolean staffMayClaim;
    private final BanCategory banCategory;

    TerminationGround(boolean staffMayClaim, BanCategory banCategory) {
        this.staffMayClaim = staffMayClaim;
        this.banCategory = banCategory;
    }

    public boolean staffMayClaim() {
        return staffMayClaim;
    }

    public BanCategory banCategory() {
        return banCategory;
    }
}
