package cn.pharmacyclaims.agreement.application;

/**
 * <pre>
 *  (accepted, AGR-01) UNDER_EVALUATION --incomplete-notice (AGR-02)--> MATERIALS_INCOMPLETE --supplement--> UNDER_EVALUATION
 *  UNDER_EVALUATION --evaluation PASS--> PASSED --sign (AGR-04)--> SIGNED     PASSED --decline--> NEGOTIATION_FAILED
 *  UNDER_EVALUATION --evaluation FAIL--> FAILED --re-evaluation (3 months later)--> UNDER_EVALUATION (round 2)
 *  round 2 FAIL --> REJECTED (1-year ban, AGR-12)
 *  UNDER_EVALUATION / MATERIALS_INCOMPLETE / PASSED --withdraw--> WITHDRAWN
 *  SIGNED renewal whose term could not start (the agreement was suspended at its end, AGR-07) --> LAPSED
 * </pre>
 */
public enum ApplicationStatus {
    UNDER_EVALUATION, MATERIALS_INCOMPLETE, PASSED, FAILED, REJECTED, SIGNED, NEGOTIATION_FAILED, WITHDRAWN, LAPSED
}
