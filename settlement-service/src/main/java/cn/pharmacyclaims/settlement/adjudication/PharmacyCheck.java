package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.time.LocalDate;
import java.util.List;

/**
 * CLM-02: the pharmacy holds an agreement in force on the sale date and the terminal is
 * registered to it. Sub-checks, in order: known pharmacy; agreement status (AGR-07..09, with
 * the AGR-08 settlement hold allowed only when the region's policy says so); sale date within
 * the agreement's term; terminal registered to the request's pharmacy.
 *
 * <p>A pharmacy known here but without a policy in force for its region on the sale date is a
 * configuration error, not the pharmacy's fault: rejecting it with AGREEMENT_NOT_ACTIVE would
 * tell the POS (and AUD-13, which raises a CLEAR violation for every CLM-02 reject) something
 * false. It throws {@link IllegalStateException} instead and the service decides what to do.
 */
final class PharmacyCheck implements Check {

    @Override
    public List<Reject> apply(AdjudicationInput in) {
        Snapshots.Pharmacy pharmacy = in.pharmacy();
        if (pharmacy == null) { // CLM-02 unknown pharmacy
            return List.of(Rejects.request(RejectCode.PHARMACY_UNKNOWN,
                    "pharmacy " + in.request().pharmacyCode() + " is not a designated pharmacy"));
        }
        if (in.policy() == null) {
            throw new IllegalStateException("no policy for region " + pharmacy.regionCode() + " on " + in.saleDate());
        }
        PharmacyStatus status = pharmacy.status();
        if (status == PharmacyStatus.SETTLEMENT_HOLD && !in.policy().holdAllowsSettlement()) { // AGR-08
            return List.of(Rejects.request(RejectCode.SETTLEMENT_HOLD,
                    "pharmacy " + pharmacy.pharmacyCode() + " is under settlement hold"));
        }
        if (status == null || !status.settles(in.policy().holdAllowsSettlement())) { // CLM-02, AGR-07/09
            return List.of(Rejects.request(RejectCode.AGREEMENT_NOT_ACTIVE,
                    "agreement of pharmacy " + pharmacy.pharmacyCode() + " is " + status));
        }
        if (!withinTerm(pharmacy, in.saleDate())) { // CLM-02 "at the time of sale"
            return List.of(Rejects.request(RejectCode.AGREEMENT_NOT_ACTIVE,
                    "agreement of pharmacy " + pharmacy.pharmacyCode() + " runs " + pharmacy.validFrom() + " to "
                            + pharmacy.validTo() + ", sale on " + in.saleDate()));
        }
        String terminalPharmacy = in.terminalPharmacyCode();
        if (terminalPharmacy == null || !terminalPharmacy.equals(in.request().pharmacyCode())) { // CLM-02, SEC-01
            return List.of(Rejects.request(RejectCode.TERMINAL_PHARMACY_MISMATCH, terminalPharmacy == null
                    ? "terminal " + in.terminalId() + " is not registered"
                    : "terminal " + in.terminalId() + " is not registered to pharmacy " + in.request().pharmacyCode()));
        }
        return List.of();
    }

    /** A null bound is open: the status copy may not carry the term (the status itself then decides). */
    private static boolean withinTerm(Snapshots.Pharmacy p, LocalDate d) {
        return (p.validFrom() == null || !d.isBefore(p.validFrom())) && (p.validTo() == null || !d.isAfter(p.validTo()));
    }
}
