package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.SettlementRequest;

import java.time.LocalDate;
import java.util.Map;

/**
 * Everything one decision depends on. Nullable snapshots mean "not found": pharmacy (unknown
 * pharmacy), terminalPharmacyCode (unknown terminal), person, institution, prescriptionUse
 * (electronic prescription never dispensed), registeredPrescription (the request's electronic
 * prescription is not in the e-prescription registry, or the request has none). {@code items}
 * holds the catalogue entries of the request's item codes that exist; {@code priorSupplies} the
 * person's latest live supply per item code. {@code saleDate} is the Beijing-time date of
 * {@code request.occurredAt()}.
 */
public record AdjudicationInput(
        SettlementRequest request,
        String terminalId,
        String terminalPharmacyCode,
        LocalDate saleDate,
        Snapshots.Pharmacy pharmacy,
        Snapshots.Person person,
        Snapshots.Accumulators accumulators,
        Map<String, Snapshots.CatalogueItem> items,
        Snapshots.Institution institution,
        Snapshots.PrescriptionUse prescriptionUse,
        Map<String, Snapshots.PriorSupply> priorSupplies,
        Snapshots.Policy policy,
        Snapshots.RegisteredPrescription registeredPrescription) {

    /** An input without a registered prescription (the request's prescription, if any, is not in the registry). */
    public AdjudicationInput(SettlementRequest request, String terminalId, String terminalPharmacyCode, LocalDate saleDate,
                             Snapshots.Pharmacy pharmacy, Snapshots.Person person, Snapshots.Accumulators accumulators,
                             Map<String, Snapshots.CatalogueItem> items, Snapshots.Institution institution,
                             Snapshots.PrescriptionUse prescriptionUse, Map<String, Snapshots.PriorSupply> priorSupplies,
                             Snapshots.Policy policy) {
        this(request, terminalId, terminalPharmacyCode, saleDate, pharmacy, person, accumulators, items, institution,
                prescriptionUse, priorSupplies, policy, null);
    }
}
