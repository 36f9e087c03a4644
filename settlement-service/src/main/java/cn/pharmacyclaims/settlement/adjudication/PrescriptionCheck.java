package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CLM-06, applied only when at least one line's item is prescription-only (Rx). Runs after
 * CLM-05, so every line's item is known and medical. Sub-checks, in order, each a check of its
 * own (the first failing one is reported):
 * <ol>
 *   <li>RX_REQUIRED, per Rx line: no prescription;</li>
 *   <li>RX_PRESCRIBER_NOT_DESIGNATED: the institution is unknown or not designated, or the
 *       physician is not one of its physicians;</li>
 *   <li>RX_PATIENT_MISMATCH: the prescription's patient is not the insured person;</li>
 *   <li>RX_EXPIRED: a prescription is valid on its issue day only, or for {@code validDays}
 *       days when the physician says so (clamped to 1..policy.maxRxValidDays, default 3), so
 *       the sale date (Beijing time) must lie in [issue date, issue date + validDays − 1];
 *       a sale dated before the issue date, or a prescription without issue time, fails too;</li>
 *   <li>RX_TOO_MANY_ITEMS: more distinct Rx item codes than policy.maxRxItems (default 5);</li>
 *   <li>RX_ALREADY_DISPENSED: the electronic prescription is already used by a live settlement;</li>
 *   <li>PHARMACIST_MISSING, per Rx line: no pharmacist's licence recorded.</li>
 * </ol>
 * Prescription-level failures (2 to 6) are one reject without a line number: the prescription
 * is at fault, not a line.
 *
 * <p>RX_ITEM_NOT_PRESCRIBED ("only the items and quantities on it") is not produced: it needs
 * the contents of electronic prescriptions, which no registry supplies to this service yet.
 * It is enforced only once such data exists (a snapshot of the prescription's items would be
 * added to {@link AdjudicationInput}); until then the code is never emitted rather than guessed.
 */
final class PrescriptionCheck implements Check {

    @Override
    public List<Reject> apply(AdjudicationInput in) {
        List<SettlementRequest.Line> lines = Lines.of(in);
        List<Integer> rxIndexes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (in.items().get(lines.get(i).itemCode()).rx()) {
                rxIndexes.add(i);
            }
        }
        if (rxIndexes.isEmpty()) {
            return List.of();
        }
        PolicyLimits limits = PolicyLimits.of(in.policy());
        SettlementRequest.Prescription rx = in.request().prescription();

        if (rx == null) { // CLM-06 Rx item needs a prescription
            List<Reject> rejects = new ArrayList<>();
            for (int i : rxIndexes) {
                SettlementRequest.Line line = lines.get(i);
                rejects.add(Rejects.line(RejectCode.RX_REQUIRED, Lines.no(line, i),
                        "item " + line.itemCode() + " is prescription-only and the request has no prescription"));
            }
            return rejects;
        }

        Snapshots.Institution institution = in.institution();
        if (institution == null || !institution.designated() || rx.institutionCode() == null
                || !rx.institutionCode().equals(institution.institutionCode())) { // CLM-06 designated institution
            return List.of(Rejects.request(RejectCode.RX_PRESCRIBER_NOT_DESIGNATED,
                    "institution " + rx.institutionCode() + " is not a designated medical institution"));
        }
        if (rx.physicianCode() == null || institution.physicians() == null
                || !institution.physicians().contains(rx.physicianCode())) { // CLM-06 physician of that institution
            return List.of(Rejects.request(RejectCode.RX_PRESCRIBER_NOT_DESIGNATED,
                    "physician " + rx.physicianCode() + " is not registered at institution " + rx.institutionCode()));
        }

        String insuredPsnNo = in.request().insured().psnNo();
        if (rx.patientPsnNo() == null || !rx.patientPsnNo().equals(insuredPsnNo)) { // CLM-06 patient is the insured
            return List.of(Rejects.request(RejectCode.RX_PATIENT_MISMATCH,
                    "prescription " + rx.rxNo() + " is for another patient"));
        }

        Reject expired = expired(rx, in.saleDate(), limits.maxRxValidDays()); // CLM-06 validity
        if (expired != null) {
            return List.of(expired);
        }

        Set<String> rxItems = new LinkedHashSet<>();
        for (int i : rxIndexes) {
            rxItems.add(lines.get(i).itemCode());
        }
        if (rxItems.size() > limits.maxRxItems()) { // CLM-06 at most 5 drug items
            return List.of(Rejects.request(RejectCode.RX_TOO_MANY_ITEMS,
                    "prescription " + rx.rxNo() + " has " + rxItems.size() + " drug items, at most "
                            + limits.maxRxItems() + " allowed"));
        }

        if (in.prescriptionUse() != null && in.prescriptionUse().dispensedBy() != null) { // CLM-06 dispensed once
            // The other settlement's id is not named: it may belong to another pharmacy (SEC-02).
            return List.of(Rejects.request(RejectCode.RX_ALREADY_DISPENSED,
                    "electronic prescription " + rx.rxNo() + " is already dispensed"));
        }

        List<Reject> noPharmacist = new ArrayList<>();
        for (int i : rxIndexes) { // CLM-06 pharmacist's review on every Rx line
            SettlementRequest.Line line = lines.get(i);
            if (Lines.blank(line.pharmacistLicence())) {
                noPharmacist.add(Rejects.line(RejectCode.PHARMACIST_MISSING, Lines.no(line, i),
                        "item " + line.itemCode() + " is prescription-only and needs a pharmacist's licence number"));
            }
        }
        return noPharmacist;
    }

    private static Reject expired(SettlementRequest.Prescription rx, LocalDate saleDate, int maxValidDays) {
        if (rx.issuedAt() == null) {
            return Rejects.request(RejectCode.RX_EXPIRED, "prescription " + rx.rxNo() + " has no issue time");
        }
        int validDays = rx.validDays() == null ? 1 : Math.max(1, Math.min(rx.validDays(), maxValidDays));
        LocalDate issued = Beijing.date(rx.issuedAt());
        LocalDate lastDay = issued.plusDays(validDays - 1L);
        if (saleDate.isBefore(issued)) {
            return Rejects.request(RejectCode.RX_EXPIRED,
                    "prescription " + rx.rxNo() + " is issued on " + issued + ", after the sale on " + saleDate);
        }
        if (saleDate.isAfter(lastDay)) {
            return Rejects.request(RejectCode.RX_EXPIRED,
                    "prescription " + rx.rxNo() + " issued on " + issued + " was valid until " + lastDay);
        }
        return null;
    }
}
