package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.application.ApplicationView;
import cn.pharmacyclaims.agreement.ban.Ban;
import cn.pharmacyclaims.agreement.deadline.TrackedDeadline;
import cn.pharmacyclaims.agreement.dispute.DisputeView;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.keychange.KeyChangeView;
import cn.pharmacyclaims.agreement.sanction.SanctionView;
import cn.pharmacyclaims.common.events.PharmacyStatus;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What an officer sees: the pharmacy, its home agreement (the published status, AGR-11) and every
 * region's agreement (AGR-10), the full status history and every other record (SEC-04), its deadlines,
 * key changes and termination grounds found (AGR-06), sanctions with the rolling ladder count and the
 * police-referral flag (AUD-21), bans (AGR-12), disputes (AGR-13) and applications.
 *
 * @param terminationGroundsFound grounds recorded for an officer to act on (an overdue key-information filing); nothing
 *                                terminates by itself on them
 */
public record PharmacyView(String code, String name, String regionCode, String address, double lat, double lon,
                           String businessHours, PharmacyStatus status, boolean settlementHold, long version,
                           AgreementView agreement, List<HistoryView> history, List<AgreementView> agreements,
                           List<TrackedDeadline> deadlines, List<KeyChangeView> keyChanges, List<GroundFound> terminationGroundsFound,
                           List<SanctionView> sanctions, int confirmedCasesIn12Months, boolean policeReferral, List<Ban> bans,
                           List<DisputeView> disputes, List<ApplicationView.Summary> applications, List<RecordEntry> records) {

    /** @param renewalWindowOpensOn AGR-05: renewal applications are accepted from this day */
    public record AgreementView(long id, String regionCode, boolean home, AgreementType type, LocalDate validFrom, LocalDate validTo,
                                PharmacyStatus status, boolean settlementHold, int suspensionsInTerm,
                                OffsetDateTime suspendedAt, boolean suspensionRequestedByPharmacy,
                                TerminationGround terminationGround, OffsetDateTime statusChangedAt, LocalDate renewalWindowOpensOn) {
    }

    /** @param id what a dispute names (AGR-13) */
    public record HistoryView(long id, OffsetDateTime at, String actor, String source, Action action, PharmacyStatus fromStatus,
                              PharmacyStatus toStatus, boolean settlementHold, String reason, TerminationGround ground,
                              String ruleId, long agreementId, String regionCode, long version) {
    }

    /** AGR-06 / AGR-09: a termination ground found (an unfiled key change). */
    public record GroundFound(TerminationGround ground, String ruleId, long keyChangeId, LocalDate filingDue, String detail) {
    }
}
