package cn.pharmacyclaims.agreement.deadline;

/** The time limits the agreement service tracks, with the rule that sets each one and how it is counted. */
public enum DeadlineKind {
    /** AGR-02: the agency tells the applicant everything missing, in one notice, within 5 working days of receipt. */
    INCOMPLETE_NOTICE("AGR-02", Basis.WORKING_DAYS, "incomplete-materials notice"),
    /** AGR-03: evaluation ends within 3 months of acceptance, supplement time excluded. */
    EVALUATION("AGR-03", Basis.MONTHS, "evaluation"),
    /** AGR-06: a key-information change is filed within 30 working days of the authority's approval. */
    FILING("AGR-06", Basis.WORKING_DAYS, "key-information filing"),
    /** AUD-21: the rectification deadline set with an interview (the first rung of the ladder). */
    RECTIFICATION("AUD-21", Basis.WORKING_DAYS, "rectification");

    private final String ruleId;
    private final Basis basis;
    private final String label;

    DeadlineKind(String ruleId, Basis basis, String label) {
        this.ruleId = ruleId;
        this.basis = basis;
        this.label = label;
    }

    public String ruleId() {
        return ruleId;
    }

    public Basis basis() {
        return basis;
    }

    public String label() {
        return label;
    }
}
