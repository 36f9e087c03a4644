package cn.pharmacyclaims.audit.rules;

import java.util.List;

/** One AUD rule: plain Java over an {@link Observation}, no I/O, so it is unit-testable without Quarkus. */
public interface AuditRule {
    /** The rule ID of DOMAIN.md §5, e.g. {@code AUD-02}. */
    String ruleId();

    /** Findings for this observation; empty when the pattern is not seen. */
    List<Finding> evaluate(Observation observation);
}
