package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.history.HistoryEntry;
import cn.pharmacyclaims.agreement.pharmacy.Pharmacy;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.common.events.PharmacyStatus;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** What an officer sees: the pharmacy, its current agreement and the whole status history (SEC-04). */
public record PharmacyView(String code, String name, String regionCode, String address, double lat, double lon,
                           String businessHours, PharmacyStatus status, boolean settlementHold, long version,
                           AgreementView agreement, List<HistoryView> history) {

    public record AgreementView(long id, String regionCode, AgreementType type, LocalDate validFrom, LocalDate validTo,
                                PharmacyStatus status, boolean settlementHold, int suspensionsInTerm,
                                OffsetDateTime suspendedAt, boolean suspensionRequestedByPharmacy,
                                TerminationGround terminationGround, OffsetDateTime statusChangedAt) {
    }

    public record HistoryView(OffsetDateTime at, String actor, String source, Action action, PharmacyStatus fromStatus,
                              PharmacyStatus toStatus, boolean settlementHold, String reason, TerminationGround ground,
                              String ruleId, long agreementId, long version) {
    }

    public static PharmacyView of(PharmacyState s, List<HistoryEntry> history) {
        Pharmacy p = s.pharmacy();
        Agreement a = s.agreement();
        AgreementView av = new AgreementView(a.id(), a.regionCode(), a.type(), a.validFrom(), a.validTo(), a.status(),
                a.settlementHold(), a.suspensionsInTerm(), a.suspendedAt(), a.suspensionRequestedByPharmacy(),
                a.terminationGround(), a.statusChangedAt());
        List<HistoryView> hv = history.stream().map(h -> new HistoryView(h.occurredAt(), h.actor(), h.source().name(), h.action(),
                h.fromStatus(), h.toStatus(), h.settlementHold(), h.reason(), h.ground(), h.ruleId(), h.agreementId(),
                h.pharmacyVersion())).toList();
        return new PharmacyView(p.code(), p.name(), p.regionCode(), p.address(), p.lat(), p.lon(), p.businessHours(),
                a.status(), a.settlementHold(), p.version(), av, hv);
    }
}
