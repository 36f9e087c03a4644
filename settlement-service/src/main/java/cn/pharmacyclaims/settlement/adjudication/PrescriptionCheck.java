package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult.Reject;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CLM-06, applied only when at least one line's item is prescription-only (Rx). Runs after
 * CLM-05, so every line's item is known and medical. Sub-checks, in order, each a check of its
 * own (the first failing one is reported):
 * <ol>
 *   <li>RX_REQUIRED, per Rx line: no prescription;</li>
 *   <li>RX_PRESCRIBER_NOT_DESIGNATED: the institution is unknown or not designated, or the
 *       physician is not one of its physicians; or, for a registered electronic prescription,
 *       the request names another institution or physician than the registry;</li>
 *   <li>RX_PATIENT_MISMATCH: the prescription's patient (as the request says and, when
 *       registered, as the registry says) is not the insured person;</li>
 *   <li>RX_EXPIRED: a prescription is valid on its issue day only, or for {@code validDays}
 *       days when the physician says so (clamped to 1..policy.maxRxValidDays, default 3), so
 *       the sale date (Beijing time) must lie in [issue date, issue date + validDays − 1];
 *       a sale dated before the issue date, or a prescription without issue time, fails too.
 *       For a registered prescription the registry's issue time and validity are used: the
 *       POS cannot extend a prescription by restating it;</li>
 *   <li>RX_TOO_MANY_ITEMS: more distinct Rx item codes than policy.maxRxItems (default 5);</li>
 *   <li>RX_ALREADY_DISPENSED: the electronic prescription is already used by a live settlement;</li>
 *   <li>RX_ITEM_NOT_PRESCRIBED, per Rx line, registered electronic prescriptions only: the
 *       line's item is not on the prescription, or the quantity of that item dispensed by live
 *       settlements plus this request's lines of it exceeds the quantity prescribed (every line
 *       of that item is reported);</li>
 *   <li>PHARMACIST_MISSING, per Rx line: no pharmacist's licence recorded.</li>
 * </ol>
 * Prescription-level failures (2 to 6) are one reject without a line number: the prescription
 * is at fault, not a line.
 *
 * <p>Design choice: the e-prescription registry is filled by the agency's import of what the
 * institutions prescribed. An electronic prescription that is not registered (the registry is
 * not complete, or the institution does not feed it yet) is checked as before, on the request's
 * own header, and never rejected with RX_ITEM_NOT_PRESCRIBED: its contents are not known, and
 * guessing would refuse lawful purchases. Since a prescription is dispensed once (step 6),
 * the quantity "already dispensed" is zero whenever step 7 is reached today; the check counts
 * it anyway, so that it stays right if partial dispensing is ever allowed.
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

        Snapshots.RegisteredPrescription registered = registered(in, rx);
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
        if (registered != null && (!rx.institutionCode().equals(registered.institutionCode())
                || !rx.physicianCode().equals(registered.physicianCode()))) { // CLM-06 the registry's prescriber
            return List.of(Rejects.request(RejectCode.RX_PRESCRIBER_NOT_DESIGNATED,
                    "electronic prescription " + rx.rxNo() + " is registered with another institution or physician"));
        }

        String insuredPsnNo = in.request().insured().psnNo();
        if (rx.patientPsnNo() == null || !rx.patientPsnNo().equals(insuredPsnNo)) { // CLM-06 patient is the insured
            return List.of(Rejects.request(RejectCode.RX_PATIENT_MISMATCH,
                    "prescription " + rx.rxNo() + " is for another patient"));
        }
        if (registered != null && !insuredPsnNo.equals(registered.patientPsnNo())) { // CLM-06 the registry's patient
            return List.of(Rejects.request(RejectCode.RX_PATIENT_MISMATCH,
                    "electronic prescription " + rx.rxNo() + " is registered for another patient"));
        }

        Reject expired = registered != null // CLM-06 validity
                ? expired(rx.rxNo(), registered.issuedAt(), registered.validDays(), in.saleDate(), limits.maxRxValidDays())
                : expired(rx.rxNo(), rx.issuedAt(), rx.validDays(), in.saleDate(), limits.maxRxValidDays());
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

        if (registered != null) { // CLM-06 only the items and quantities on it
            List<Reject> notPrescribed = notPrescribed(lines, rxIndexes, registered);
            if (!notPrescribed.isEmpty()) {
                return notPrescribed;
            }
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

    /**
     * The registry's record of the request's electronic prescription, or null: the request has no
     * electronic prescription, or it is not registered.
     */
    private static Snapshots.RegisteredPrescription registered(AdjudicationInput in, SettlementRequest.Prescription rx) {
        Snapshots.RegisteredPrescription r = in.registeredPrescription();
        if (r == null || !Boolean.TRUE.equals(rx.electronic()) || rx.rxNo() == null || !rx.rxNo().equals(r.rxNo())) {
            return null;
        }
        return r;
    }

    /** RX_ITEM_NOT_PRESCRIBED per Rx line; quantities of the same item on several lines add up. */
    private static List<Reject> notPrescribed(List<SettlementRequest.Line> lines, List<Integer> rxIndexes,
                                              Snapshots.RegisteredPrescription registered) {
        Map<String, BigDecimal> requested = new HashMap<>();
        for (int i : rxIndexes) {
            SettlementRequest.Line line = lines.get(i);
            // Non-positive quantities are PRICE_INVALID later; they must not offset another line's excess here.
            if (line.quantity() != null && line.quantity().signum() > 0) {
                requested.merge(line.itemCode(), line.quantity(), BigDecimal::add);
            }
        }
        List<Reject> rejects = new ArrayList<>();
        for (int i : rxIndexes) {
            SettlementRequest.Line line = lines.get(i);
            BigDecimal remaining = registered.remaining(line.itemCode());
            if (remaining == null) {
                rejects.add(Rejects.line(RejectCode.RX_ITEM_NOT_PRESCRIBED, Lines.no(line, i),
                        "item " + line.itemCode() + " is not on electronic prescription " + registered.rxNo()));
                continue;
            }
            BigDecimal wanted = requested.getOrDefault(line.itemCode(), BigDecimal.ZERO);
            if (wanted.compareTo(remaining) > 0) {
                rejects.add(Rejects.line(RejectCode.RX_ITEM_NOT_PRESCRIBED, Lines.no(line, i),
                        "item " + line.itemCode() + ": " + wanted.stripTrailingZeros().toPlainString()
                                + " requested, electronic prescription " + registered.rxNo() + " leaves "
                                + remaining.max(BigDecimal.ZERO).stripTrailingZeros().toPlainString()));
            }
        }
        return rejects;
    }

    private static Reject expired(String rxNo, OffsetDateTime issuedAt, Integer validDaysGiven, LocalDate saleDate,
                                  int maxValidDays) {
        if (issuedAt == null) {
            return Rejects.request(RejectCode.RX_EXPIRED, "prescription " + rxNo + " has no issue time");
        }
        int validDays = validDaysGiven == null ? 1 : Math.max(1, Math.min(validDaysGiven, maxValidDays));
        LocalDate issued = Beijing.date(issuedAt);
        LocalDate lastDay = issued.plusDays(validDays - 1L);
        if (saleDate.isBefore(issued)) {
            return Rejects.request(RejectCode.RX_EXPIRED,
                    "prescription " + rxNo + " is issued on " + issued + ", after the sale on " + saleDate);
        }
        if (saleDate.isAfter(lastDay)) {
            return Rejects.request(RejectCode.RX_EXPIRED,
                    "prescription " + rxNo + " issued on " + issued + " was valid until " + lastDay);
        }
        return null;
    }
}
