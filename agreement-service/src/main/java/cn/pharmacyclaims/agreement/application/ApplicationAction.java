package cn.pharmacyclaims.agreement.application;

/** Steps of an application; the label is the path segment of the staff API. */
public enum ApplicationAction {
    ACCEPT("accept"),
    /** AGR-02: the materials are complete: no notice is needed. */
    CONFIRM_COMPLETE("materials-complete"),
    /** AGR-02: one notice listing everything missing. */
    NOTICE_INCOMPLETE("incomplete-notice"),
    /** AGR-02 / AGR-03: the pharmacy supplemented its materials; the evaluation clock runs again. */
    SUPPLEMENT_RECEIVED("supplement"),
    /** AGR-03: PASS or FAIL with reasons. */
    EVALUATE("evaluation"),
    /** AGR-03: a FAIL re-evaluated after 3 months of rectification. */
    RE_EVALUATE("re-evaluation"),
    /** AGR-04 */
    SIGN("sign"),
    /** AGR-04: negotiation did not lead to an agreement. */
    DECLINE("decline"),
    WITHDRAW("withdraw"),
    /** AGR-05: a signed renewal's term started (scheduler). */
    START_TERM("start-term"),
    /** AGR-05 / AGR-07: a signed renewal whose term could not start. */
    LAPSE("lapse");

    private final String label;

    ApplicationAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
