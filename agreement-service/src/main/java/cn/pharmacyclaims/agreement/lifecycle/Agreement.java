package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * The current agreement (one term) of a pharmacy: a value, changed only by producing a new one
 * through {@link AgreementStateMachine}.
 *
 * @param settlementHold AGR-08 hold, kept apart from the status so that a held pharmacy that is
 *                       suspended and resumed returns to SETTLEMENT_HOLD, not to ACTIVE
 * @param suspendedAt    start of the current suspension (null unless SUSPENDED)
 */
public record Agreement(
        long id,
        String pharmacyCode,
        String regionCode,
        AgreementType type,
        LocalDate validFrom,
        LocalDate validTo,
        PharmacyStatus status,
        boolean settlementHold,
        int suspensionsInTerm,
        OffsetDateTime suspendedAt,
        boolean suspensionRequestedByPharmacy,
        TerminationGround terminationGround,
        OffsetDateTime statusChangedAt,
        long version) {

    public Agreement withStatus(PharmacyStatus newStatus, OffsetDateTime at) {
        return new Agreement(id, pharmacyCode, regionCode, type, validFrom, validTo, newStatus, settlementHold,
                suspensionsInTerm, suspendedAt, suspensionRequestedByPharmacy, terminationGround, at, version);
    }

    public Agreement withHold(boolean hold) {
        return new Agreement(id, pharmacyCode, regionCode, type, validFrom, validTo, status, hold,
                suspensionsInTerm, suspendedAt, suspensionRequestedByPharmacy, terminationGround, statusChangedAt, version);
    }

    public Agreement withSuspension(int count, OffsetDateTime since, boolean requestedByPharmacy) {
        return new Agreement(id, pharmacyCode, regionCode, type, validFrom, validTo, status, settlementHold,
                count, since, requestedByPharmacy, terminationGround, statusChangedAt, version);
    }

    public Agreement withGround(TerminationGround ground) {
        return new Agreement(id, pharmacyCode, regionCode, type, validFrom, validTo, status, settlementHold,
                suspensionsInTerm, suspendedAt, suspensionRequestedByPharmacy, ground, statusChangedAt, version);
    }

    public Agreement withTerm(String region, AgreementType newType, LocalDate from, LocalDate to) {
        return new Agreement(id, pharmacyCode, region, newType, from, to, status, settlementHold,
                suspensionsInTerm, suspendedAt, suspensionRequestedByPharmacy, terminationGround, statusChangedAt, version);
    }

    public Agreement withId(long newId) {
        return new Agreement(newId, pharmacyCode, regionCode, type, validFrom, validTo, status, settlementHold,
                suspensionsInTerm, suspendedAt, suspensionRequestedByPharmacy, terminationGround, statusChangedAt, version);
    }

    public Agreement nextVersion() {
        return new Agreement(id, pharmacyCode, regionCode, type, validFrom, validTo, status, settlementHold,
                suspensionsInTerm, suspendedAt, suspensionRequestedByPharmacy, terminationGround, statusChangedAt, version + 1);
    }

    /** Nothing leaves TERMINATED (AGR-09); EXPIRED leaves only by a new term (AGR-05 renewal). */
    public boolean ended() {
        return status == PharmacyStatus.TERMINATED || status == PharmacyStatus.EXPIRED;
    }
}
