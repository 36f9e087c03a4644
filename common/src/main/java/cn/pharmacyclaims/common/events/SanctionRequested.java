package cn.pharmacyclaims.common.events;

import java.time.OffsetDateTime;

/**
 * AUD-21, on {@code audit.sanctions}, key pharmacyCode: a sanction the audit service decided after a
 * confirmed case, for the agreement service to apply (AGR-07/08/09). {@code sanctionId} is unique
 * (consumers dedupe on it); {@code confirmedCasesIn12Months} is the rung of the ladder that led here;
 * {@code category} is the behaviour the case confirmed (optional, added compatibly in schema 1): the
 * agreement service derives the AGR-09 termination ground from it.
 */
public record SanctionRequested(
        String sanctionId,
        String pharmacyCode,
        String regionCode,
        Level level,
        boolean policeReferral,
        String caseId,
        String reason,
        int confirmedCasesIn12Months,
        String decidedBy,
        OffsetDateTime decidedAt,
        int schemaVersion,
        ViolationAlert.BehaviourType category) {

    public static final int SCHEMA_VERSION = 1;

    /** The rungs of the ladder: interview and rectification deadline, settlement hold, suspension, termination. */
    public enum Level { INTERVIEW, SETTLEMENT_HOLD, SUSPENSION, TERMINATION }
}
