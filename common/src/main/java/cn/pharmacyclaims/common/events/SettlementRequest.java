package cn.pharmacyclaims.common.events;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** The POS settlement (and preview) request body, POS-API.md §1, exactly as the terminal sent it (CLM-16). */
public record SettlementRequest(
        String msgId,
        String pharmacyCode,
        OffsetDateTime occurredAt,
        String operatorId,
        Insured insured,
        Purchaser purchaser,
        Prescription prescription,
        Boolean useAccount,
        List<Line> lines) {

    public enum CertType { SOCIAL_CARD, E_VOUCHER, ID_CARD }

    public record Insured(String psnNo, CertType certType, String certNo) {
    }

    /** Present only for proxy purchases (CLM-04). */
    public record Purchaser(String idNo, String name) {
    }

    public record Prescription(String rxNo, Boolean electronic, String institutionCode, String physicianCode,
                               String patientPsnNo, OffsetDateTime issuedAt, Integer validDays, String diagnosisCode) {
    }

    public record Line(Integer lineNo, String itemCode, BigDecimal quantity, BigDecimal unitPrice, Integer daysSupply,
                       String pharmacistLicence) {
    }

    public String psnNo() {
        return insured == null ? null : insured.psnNo();
    }
}
