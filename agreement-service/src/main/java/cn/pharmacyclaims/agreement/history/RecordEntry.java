package cn.pharmacyclaims.agreement.history;

import java.time.OffsetDateTime;

/**
 * SEC-04 record of a change that is not an agreement status change (an application step, a deadline
 * computed, met, overdue or recomputed, a key change, a sanction, a ban, a dispute, a reminder).
 *
 * @param subjectType APPLICATION, DEADLINE, KEY_CHANGE, SANCTION, BAN, DISPUTE, AGREEMENT
 * @param fromState   null when not a state change
 */
public record RecordEntry(long id, String pharmacyCode, String subjectType, String subjectId, String action,
                          String fromState, String toState, String detail, String ruleId, String actor, Source source,
                          OffsetDateTime occurredAt) {

    public static RecordEntry of(String pharmacyCode, String subjectType, Object subjectId, String action, String fromState,
                                 String toState, String detail, String ruleId, Cause cause, OffsetDateTime at) {
        return new RecordEntry(0, pharmacyCode, subjectType, String.valueOf(subjectId), action, fromState, toState, detail,
                ruleId, cause.actor(), cause.source(), at);
    }
}
