package cn.pharmacyclaims.agreement.pharmacy;

/**
 * One row of {@code POST /api/v1/admin/pharmacies} exactly as POS-API.md section 4 defines it. Dates,
 * status and type stay strings here so that every bad row and field can be listed at once.
 */
public record PharmacyImportRow(String code, String name, String regionCode, String address, Double lat, Double lon,
                                String businessHours, AgreementRow agreement) {

    /** {@code status}: ACTIVE, SUSPENDED, SETTLEMENT_HOLD or TERMINATED; {@code type}: GENERAL or SPECIAL_DRUG. */
    public record AgreementRow(String status, String validFrom, String validTo, String type) {
    }
}
