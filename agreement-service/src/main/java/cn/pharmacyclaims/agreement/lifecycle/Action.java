package cn.pharmacyclaims.agreement.lifecycle;

/**
 * What can happen to an agreement. Staff actions come from the lifecycle API, system actions from
 * the scheduler; IMPORT is the admin migration. Sanctions (AUD-21) and the cascade (AGR-10) map onto
 * these same actions with their own actor and source.
 */
public enum Action {
    /** AGR-07 */
    SUSPEND("suspend"),
    /** AGR-07 */
    RESUME("resume"),
    /** AGR-08 */
    SETTLEMENT_HOLD("settlement-hold"),
    /** AGR-08 */
    LIFT_HOLD("lift-hold"),
    /** AGR-09 */
    TERMINATE("terminate"),
    /** AGR-05: the term ended without renewal. */
    EXPIRE("expire"),
    /** AGR-07: a pharmacy-requested suspension reached its maximum length without a resume. */
    END_REQUESTED_SUSPENSION("end-requested-suspension"),
    /** POS-API.md section 4: state migrated from the agency's existing registry. */
    IMPORT("import"),
    /** AGR-04: a PASS application signed: a new agreement (term). */
    SIGN("sign"),
    /** AGR-05: a signed renewal's new term replaces the ending one. */
    RENEW("renew"),
    /** AGR-10: an officer records the pharmacy's agreement in an additional region. */
    ADD_AGREEMENT("add-agreement");

    private final String label;

    Action(String label) {
        this.label = label;
    }

    /** As the API names it (the path segment of staff actions). */
    public String label() {
        return label;
    }
}
