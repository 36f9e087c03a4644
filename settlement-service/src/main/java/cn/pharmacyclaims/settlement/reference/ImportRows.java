package cn.pharmacyclaims.settlement.reference;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The JSON rows of the admin import (POS-API.md §4) as received. Enumerations, amounts and dates
 * are strings here so that {@link ImportValidator} can name every bad row and field at once instead
 * of failing on the first unparseable value.
 */
public final class ImportRows {
    private ImportRows() {
    }

    public record CatalogueRow(String itemCode, String name, String spec, @JsonProperty("class") String itemClass, Boolean rx,
                               String paymentStandard, List<String> chronicDiseases) {
    }

    public record PersonRow(String psnNo, List<String> certNos, String insuranceType, String regionCode, String status,
                            Boolean cardLost, String accountBalance, List<ChronicRow> chronic) {
    }

    public record ChronicRow(String diseaseCode, String validFrom, String validTo) {
    }

    public record InstitutionRow(String institutionCode, Boolean designated, List<String> physicians) {
    }

    /**
     * One region's policy from one date. {@code holdAllowsSettlement} (default false, AGR-08),
     * {@code maxRxItems} (5) and {@code maxRxValidDays} (3, CLM-06) are compatible extensions.
     */
    public record PolicyRow(String regionCode, String effectiveFrom, Integer maxDaysSupply, Integer maxDaysSupplyChronic,
                            String refillThreshold, @JsonProperty("bSelfPayRatio") String bSelfPayRatio,
                            Boolean accountCoversOutOfScope, Boolean outpatientPoolingAtPharmacy,
                            Boolean holdAllowsSettlement, Integer maxRxItems, Integer maxRxValidDays,
                            List<BenefitRow> benefits, List<ChronicCapRow> chronicCaps) {
    }

    public record BenefitRow(String insuranceType, String benefit, String deductible, String ratio, String cap) {
    }

    public record ChronicCapRow(String diseaseCode, String cap) {
    }

    /**
     * An electronic prescription as its institution issued it (CLM-06 e-prescription registry).
     * {@code issuedAt} ISO-8601 with offset; {@code validDays} optional (1: the issue day only);
     * {@code quantity} a decimal (string or number), the quantity prescribed of the item.
     */
    public record PrescriptionRow(String rxNo, String institutionCode, String physicianCode, String patientPsnNo,
                                  String issuedAt, Integer validDays, List<PrescriptionItemRow> items) {
    }

    public record PrescriptionItemRow(String itemCode, String quantity) {
    }

    /** The answer of a good import: how many rows were received, created and updated. */
    public record ImportResult(int received, int created, int updated) {
    }
}
