package cn.pharmacyclaims.settlement.reference;

import cn.pharmacyclaims.settlement.adjudication.Snapshots;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** Import rows after validation: typed, complete, ready to store. */
public final class ReferenceRecords {
    private ReferenceRecords() {
    }

    public record CatalogueEntry(String itemCode, String name, String spec, Snapshots.ItemClass itemClass, boolean rx,
                                 BigDecimal paymentStandard, List<String> chronicDiseases) {
    }

    /** {@code accountBalance} null: keep the balance held (0.00 for a new person). */
    public record PersonEntry(String psnNo, List<String> certNos, Snapshots.InsuranceType insuranceType, String regionCode,
                              Snapshots.PersonStatus status, boolean cardLost, BigDecimal accountBalance,
                              List<Snapshots.ChronicRegistration> chronic) {
    }

    public record InstitutionEntry(String institutionCode, boolean designated, List<String> physicians) {
    }

    public record PolicyEntry(String regionCode, LocalDate effectiveFrom, int maxDaysSupply, int maxDaysSupplyChronic,
                              BigDecimal refillThreshold, BigDecimal bSelfPayRatio, boolean accountCoversOutOfScope,
                              boolean outpatientPoolingAtPharmacy, boolean holdAllowsSettlement, int maxRxItems,
                              int maxRxValidDays, List<Snapshots.BenefitRule> benefits, List<ChronicCap> chronicCaps) {
    }

    /** CLM-06: a registered electronic prescription; {@code items} item code to quantity prescribed, in import order. */
    public record PrescriptionEntry(String rxNo, String institutionCode, String physicianCode, String patientPsnNo,
                                    OffsetDateTime issuedAt, int validDays, Map<String, BigDecimal> items) {
    }

    public record ChronicCap(String diseaseCode, BigDecimal cap) {
    }
}
