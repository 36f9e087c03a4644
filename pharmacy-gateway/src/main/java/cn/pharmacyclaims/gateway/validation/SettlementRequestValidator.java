package cn.pharmacyclaims.gateway.validation;

import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.platform.web.Problem;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of a settlement or preview body (POS-API.md §1), checked before anything reaches
 * Kafka, naming every bad field. Business checks (is the item in the catalogue, is an Rx line
 * prescribed...) are settlement's: they answer with reject codes, not with 400.
 */
public final class SettlementRequestValidator {
    /** POS-API.md §1: at most 100 lines. */
    public static final int MAX_LINES = 100;
    /** CLM-10: unit prices carry up to 4 decimals. */
    public static final int UNIT_PRICE_SCALE = 4;

    private static final Set<String> CERT_TYPES = Set.copyOf(
            Arrays.stream(SettlementRequest.CertType.values()).map(Enum::name).toList());

    public List<Problem.FieldError> validate(JsonNode body) {
        FieldChecks c = new FieldChecks();
        if (body == null || !body.isObject()) {
            c.add("$", "the body must be a JSON object");
            return c.errors();
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
        c.offsetDateTime(body, "", "occurredAt", true);
        c.text(body, "", "operatorId", false);
        insured(c, c.object(body, "", "insured", true));
        purchaser(c, c.object(body, "", "purchaser", false));
        prescription(c, c.object(body, "", "prescription", false));
        c.bool(body, "", "useAccount");
        lines(c, FieldChecks.field(body, "lines"));
        return c.errors();
    }

    private static void insured(FieldChecks c, JsonNode insured) {
        if (insured == null) {
            return;
        }
        c.text(insured, "insured", "psnNo", true);
        String certType = c.text(insured, "insured", "certType", true);
        if (certType != null && !CERT_TYPES.contains(certType)) {
            c.add("insured.certType", "must be one of " + String.join(", ",
                    Arrays.stream(SettlementRequest.CertType.values()).map(Enum::name).toList()));
        }
        c.text(insured, "insured", "certNo", true);
    }

    /** CLM-04 completeness is settlement's (PROXY_IDENTITY_REQUIRED); here only the types. */
    private static void purchaser(FieldChecks c, JsonNode purchaser) {
        if (purchaser == null) {
            return;
        }
        c.text(purchaser, "purchaser", "idNo", false);
        c.text(purchaser, "purchaser", "name", false);
    }

    /** CLM-06 is settlement's (RX_* reject codes); here only the types. */
    private static void prescription(FieldChecks c, JsonNode rx) {
        if (rx == null) {
            return;
        }
        for (String f : List.of("rxNo", "institutionCode", "physicianCode", "patientPsnNo", "diagnosisCode")) {
            c.text(rx, "prescription", f, false);
        }
        c.bool(rx, "prescription", "electronic");
        c.offsetDateTime(rx, "prescription", "issuedAt", false);
        c.positiveInt(rx, "prescription", "validDays", false);
    }

    private static void lines(FieldChecks c, JsonNode lines) {
        if (lines == null) {
            c.add("lines", "is required");
            return;
        }
        if (!lines.isArray()) {
            c.add("lines", "must be an array");
            return;
        }
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            c.add("lines", "must hold 1 to " + MAX_LINES + " lines");
            if (lines.size() > MAX_LINES) {
                return;
            }
        }
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
            c.text(line, p, "itemCode", true);
            var quantity = c.decimal(line, p, "quantity", true, -1);
            if (quantity != null && quantity.signum() <= 0) {
                c.add(p + ".quantity", "must be greater than 0");
            }
            c.decimal(line, p, "unitPrice", true, UNIT_PRICE_SCALE);
            c.positiveInt(line, p, "daysSupply", true);
            c.text(line, p, "pharmacistLicence", false);
        }
    }
}
