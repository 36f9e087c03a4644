package cn.pharmacyclaims.gateway.validation;

import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.platform.web.Problem;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of a settlement or preview body (POS-API.md §1), checked before anything reaches
 * Kafka, naming every bad field. Business checks (is the item in the catalogue, is an Rx line
 * prescribed...) are settlement's: they answer with reject codes, not with 400.
 *
 * <p>The same walk over the tree builds the {@link SettlementRequest} from the values it checked,
 * so a body is parsed once and never bound a second time. What it builds is what binding the tree
 * with {@link PosJson#convert} gives for every valid body (a JSON null or a missing field is null,
 * decimals keep their scale, date-times their offset; unknown fields are ignored).
 */
public final class SettlementRequestValidator {
    /** POS-API.md §1: at most 100 lines. */
    public static final int MAX_LINES = 100;
    /** CLM-10: unit prices carry up to 4 decimals. */
    public static final int UNIT_PRICE_SCALE = 4;

    private static final Set<String> CERT_TYPES = Set.copyOf(
            Arrays.stream(SettlementRequest.CertType.values()).map(Enum::name).toList());

    /** Every bad field, or none and the request they make up. */
    public record Checked(List<Problem.FieldError> errors, SettlementRequest request) {
    }

    public List<Problem.FieldError> validate(JsonNode body) {
        return read(body).errors();
    }

    /** Checks the body and, when it is valid, builds the request from it (request null otherwise). */
    public Checked read(JsonNode body) {
        FieldChecks c = new FieldChecks();
        if (body == null || !body.isObject()) {
            c.add("$", "the body must be a JSON object");
            return new Checked(c.errors(), null);
        }
        String pharmacyCode = c.text(body, "", "pharmacyCode", true);
        if (pharmacyCode != null && !MsgIds.validPharmacyCode(pharmacyCode)) {
            c.add("pharmacyCode", "must be 12 letters or digits");
            pharmacyCode = null;
        }
        String msgId = c.text(body, "", "msgId", true);
        if (msgId != null) {
            var bad = MsgIds.problem(msgId);
            if (bad.isPresent()) {
                c.add("msgId", bad.get());
            } else if (pharmacyCode != null && !msgId.startsWith(pharmacyCode)) {
                // CLM-01: the msgId's first 12 characters are the pharmacy code
                c.add("msgId", "must start with the pharmacyCode " + pharmacyCode);
            }
        }
        OffsetDateTime occurredAt = c.offsetDateTime(body, "", "occurredAt", true);
        String operatorId = c.text(body, "", "operatorId", false);
        SettlementRequest.Insured insured = insured(c, c.object(body, "", "insured", true));
        SettlementRequest.Purchaser purchaser = purchaser(c, c.object(body, "", "purchaser", false));
        SettlementRequest.Prescription prescription = prescription(c, c.object(body, "", "prescription", false));
        Boolean useAccount = c.bool(body, "", "useAccount");
        List<SettlementRequest.Line> lines = lines(c, FieldChecks.field(body, "lines"));
        List<Problem.FieldError> errors = c.errors();
        if (!errors.isEmpty()) {
            return new Checked(errors, null);
        }
        return new Checked(errors, new SettlementRequest(msgId, pharmacyCode, occurredAt, operatorId, insured, purchaser,
                prescription, useAccount, lines));
    }

    private static SettlementRequest.Insured insured(FieldChecks c, JsonNode insured) {
        if (insured == null) {
            return null;
        }
        String psnNo = c.text(insured, "insured", "psnNo", true);
        String certType = c.text(insured, "insured", "certType", true);
        if (certType != null && !CERT_TYPES.contains(certType)) {
            c.add("insured.certType", "must be one of " + String.join(", ",
                    Arrays.stream(SettlementRequest.CertType.values()).map(Enum::name).toList()));
            certType = null;
        }
        String certNo = c.text(insured, "insured", "certNo", true);
        return new SettlementRequest.Insured(psnNo, certType == null ? null : SettlementRequest.CertType.valueOf(certType), certNo);
    }

    /** CLM-04 completeness is settlement's (PROXY_IDENTITY_REQUIRED); here only the types. */
    private static SettlementRequest.Purchaser purchaser(FieldChecks c, JsonNode purchaser) {
        if (purchaser == null) {
            return null;
        }
        return new SettlementRequest.Purchaser(c.text(purchaser, "purchaser", "idNo", false),
                c.text(purchaser, "purchaser", "name", false));
    }

    /** CLM-06 is settlement's (RX_* reject codes); here only the types. */
    private static SettlementRequest.Prescription prescription(FieldChecks c, JsonNode rx) {
        if (rx == null) {
            return null;
        }
        String rxNo = c.text(rx, "prescription", "rxNo", false);
        String institutionCode = c.text(rx, "prescription", "institutionCode", false);
        String physicianCode = c.text(rx, "prescription", "physicianCode", false);
        String patientPsnNo = c.text(rx, "prescription", "patientPsnNo", false);
        String diagnosisCode = c.text(rx, "prescription", "diagnosisCode", false);
        Boolean electronic = c.bool(rx, "prescription", "electronic");
        OffsetDateTime issuedAt = c.offsetDateTime(rx, "prescription", "issuedAt", false);
        Integer validDays = c.positiveInt(rx, "prescription", "validDays", false);
        return new SettlementRequest.Prescription(rxNo, electronic, institutionCode, physicianCode, patientPsnNo, issuedAt,
                validDays, diagnosisCode);
    }

    private static List<SettlementRequest.Line> lines(FieldChecks c, JsonNode lines) {
        if (lines == null) {
            c.add("lines", "is required");
            return null;
        }
        if (!lines.isArray()) {
            c.add("lines", "must be an array");
            return null;
        }
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            c.add("lines", "must hold 1 to " + MAX_LINES + " lines");
            if (lines.size() > MAX_LINES) {
                return null;
            }
        }
        List<SettlementRequest.Line> result = new ArrayList<>(lines.size());
        Set<Integer> lineNos = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String p = "lines[" + i + "]";
            JsonNode line = lines.get(i);
            if (!line.isObject()) {
                c.add(p, "must be an object");
                continue;
            }
            Integer lineNo = c.positiveInt(line, p, "lineNo", true);
            if (lineNo != null && !lineNos.add(lineNo)) {
                c.add(p + ".lineNo", "duplicates lineNo " + lineNo);
            }
            String itemCode = c.text(line, p, "itemCode", true);
            BigDecimal quantity = c.decimal(line, p, "quantity", true, -1);
            if (quantity != null && quantity.signum() <= 0) {
                c.add(p + ".quantity", "must be greater than 0");
            }
            BigDecimal unitPrice = c.decimal(line, p, "unitPrice", true, UNIT_PRICE_SCALE);
            Integer daysSupply = c.positiveInt(line, p, "daysSupply", true);
            String licence = c.text(line, p, "pharmacistLicence", false);
            result.add(new SettlementRequest.Line(lineNo, itemCode, quantity, unitPrice, daysSupply, licence));
        }
        return List.copyOf(result);
    }
}
