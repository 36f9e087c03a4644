package cn.pharmacyclaims.settlement.adjudication;

import cn.pharmacyclaims.common.events.PharmacyStatus;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the adjudicator sees of the world, loaded by the settlement transaction (after the
 * person's account row is locked, CLM-12). Plain values: the rules are testable without a database.
 */
public final class Snapshots {
    private Snapshots() {
    }

    public enum InsuranceType { EMPLOYEE, RESIDENT }

    public enum PersonStatus { ACTIVE, LAPSED, DECEASED }

    public enum ItemClass { A, B, C, NON_MEDICAL }

    public enum BenefitKind { CHRONIC, POOLING }

    /** Local copy of the agreement service's status event (AGR-11). */
    public record Pharmacy(String pharmacyCode, String regionCode, PharmacyStatus status, LocalDate validFrom,
                           LocalDate validTo) {
    }

    public record ChronicRegistration(String diseaseCode, LocalDate validFrom, LocalDate validTo) {
        public boolean validOn(LocalDate d) {
            return !d.isBefore(validFrom) && (validTo == null || !d.isAfter(validTo));
        }
    }

    public record Person(String psnNo, InsuranceType insuranceType, String regionCode, PersonStatus status,
                         boolean cardLost, Set<String> certNos, BigDecimal accountBalance,
                         List<ChronicRegistration> chronic) {
    }

    /** CLM-12: per person and calendar year, before this purchase. */
    public record Accumulators(int year, BigDecimal poolingDeductibleUsed, BigDecimal poolingFundPaid,
                               Map<String, BigDecimal> chronicFundPaid) {
    }

    /** A catalogue entry; paymentStandard null means no limit. */
    public record CatalogueItem(String itemCode, String name, String spec, ItemClass itemClass, boolean rx,
                                BigDecimal paymentStandard, Set<String> chronicDiseases) {
    }

    public record Institution(String institutionCode, boolean designated, Set<String> physicians) {
    }

    /**
     * CLM-06: what is known of an electronic prescription. {@code dispensedBy} is the setlId of a
     * live (not cancelled) settlement that already used it, or null.
     */
    public record PrescriptionUse(String rxNo, String dispensedBy) {
    }

    /**
     * CLM-06: an electronic prescription as the prescribing institution registered it (the
     * e-prescription registry, {@code POST /api/v1/admin/prescriptions}): its header, the quantity
     * prescribed per item code, and the quantity per item code already dispensed under it by live
     * (not cancelled) settlements. Absent (null in the input) when the prescription is not
     * registered: only the request's own header is checked then.
     */
    public record RegisteredPrescription(String rxNo, String institutionCode, String physicianCode, String patientPsnNo,
                                         OffsetDateTime issuedAt, int validDays, Map<String, BigDecimal> items,
                                         Map<String, BigDecimal> dispensed) {

        /** The quantity still dispensable of an item: prescribed minus dispensed; null when the item is not on it. */
        public BigDecimal remaining(String itemCode) {
            BigDecimal prescribed = items == null ? null : items.get(itemCode);
            if (prescribed == null) {
                return null;
            }
            BigDecimal used = dispensed == null ? null : dispensed.get(itemCode);
            return used == null ? prescribed : prescribed.subtract(used);
        }
    }

    /** CLM-08: the person's latest live supply of one item, at any pharmacy. */
    public record PriorSupply(String itemCode, LocalDate saleDate, int daysSupply) {
    }

    public record BenefitRule(InsuranceType insuranceType, BenefitKind benefit, BigDecimal deductible,
                              BigDecimal ratio, BigDecimal cap) {
    }

    /** The region's policy in force on the sale date: every CLM-07/08/11 parameter (config, effective-dated). */
    public record Policy(String regionCode, LocalDate effectiveFrom, int maxDaysSupply, int maxDaysSupplyChronic,
                         BigDecimal refillThreshold, BigDecimal bSelfPayRatio, boolean accountCoversOutOfScope,
                         boolean outpatientPoolingAtPharmacy, boolean holdAllowsSettlement, int maxRxItems,
                         int maxRxValidDays, List<BenefitRule> benefits, Map<String, BigDecimal> chronicCaps) {

        public BenefitRule rule(InsuranceType type, BenefitKind kind) {
            return benefits.stream().filter(b -> b.insuranceType() == type && b.benefit() == kind).findFirst().orElse(null);
        }
    }
}
