package cn.pharmacyclaims.agreement.history;

import cn.pharmacyclaims.agreement.lifecycle.Action;
import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import cn.pharmacyclaims.common.events.PharmacyStatus;

import java.time.OffsetDateTime;

/**
 * One agreement status change (SEC-04): who, when, why, from which status to which. Written once,
 * never updated (the table refuses UPDATE and DELETE).
 *
 * @param fromStatus      null when the agreement was created
 * @param pharmacyVersion version of the pharmacy's published state after this change (AGR-11); a change of an
 *                        agreement in another region than the pharmacy's own publishes nothing and keeps the version
 * @param regionCode      region of the agreement (AGR-10: a pharmacy may hold agreements in several regions)
 */
public record HistoryEntry(long id, String pharmacyCode, long agreementId, Action action, PharmacyStatus fromStatus,
                           PharmacyStatus toStatus, boolean settlementHold, String reason, TerminationGround ground,
                           String ruleId, String actor, Source source, OffsetDateTime occurredAt, long pharmacyVersion,
                           String regionCode) {
}
