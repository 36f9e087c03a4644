package cn.pharmacyclaims.gateway.validation;

import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.platform.web.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SettlementRequestValidatorTest {
    /** POS-API.md §1's example request. */
    static final String EXAMPLE = """
            {
              "msgId": "P44010500001202611231015000001",
              "pharmacyCode": "P44010500001",
              "occurredAt": "2026-11-23T10:15:00+08:00",
              "operatorId": "op-7",
              "insured": { "psnNo": "44010000000000123456", "certType": "SOCIAL_CARD", "certNo": "A12345678" },
              "purchaser": { "idNo": "440102199001011234", "name": "Li Si" },
              "prescription": {
                "rxNo": "RX2026112300017", "electronic": true,
                "institutionCode": "H44010500003", "physicianCode": "D0042",
                "patientPsnNo": "44010000000000123456", "issuedAt": "2026-11-23T09:40:00+08:00",
                "validDays": 1, "diagnosisCode": "I10"
              },
              "useAccount": true,
              "lines": [
                { "lineNo": 1, "itemCode": "XC08CAA0450101", "quantity": "2", "unitPrice": "12.3400",
                  "daysSupply": 7, "pharmacistLicence": "PH-0091" }
              ]
            }
            """;

    private final SettlementRequestValidator validator = new SettlementRequestValidator();

    private static JsonNode json(String s) {
        PosJson.Parsed p = PosJson.parse(s.getBytes(StandardCharsets.UTF_8));
        assertThat(p.error()).isNull();
        return p.node();
    }

    private List<String> fields(String body) {
        return validator.validate(json(body)).stream().map(Problem.FieldError::field).toList();
    }

    @Test
    void theContractExampleIsValidAndConvertsExactly() {
        assertThat(validator.validate(json(EXAMPLE))).isEmpty();
        SettlementRequest r = PosJson.convert(json(EXAMPLE), SettlementRequest.class);
        assertThat(r.lines().get(0).unitPrice()).isEqualTo(new BigDecimal("12.3400"));
        assertThat(r.occurredAt().getOffset().getTotalSeconds()).isEqualTo(8 * 3600);
        assertThat(r.insured().certType()).isEqualTo(SettlementRequest.CertType.SOCIAL_CARD);
    }

    @Test
    void clm10_amountsGivenAsJsonNumbersAreReadExactlyNeverThroughDouble() {
        String body = EXAMPLE.replace("\"quantity\": \"2\"", "\"quantity\": 0.1")
                .replace("\"unitPrice\": \"12.3400\"", "\"unitPrice\": 1234567.8901");
        assertThat(validator.validate(json(body))).isEmpty();
        SettlementRequest.Line line = PosJson.convert(json(body), SettlementRequest.class).lines().get(0);
        assertThat(line.quantity()).isEqualTo(new BigDecimal("0.1"));
        assertThat(line.unitPrice()).isEqualTo(new BigDecimal("1234567.8901"));
    }

    @Test
    void clm10_unitPriceCarriesAtMostFourDecimals() {
        assertThat(fields(EXAMPLE.replace("\"12.3400\"", "\"12.34001\""))).containsExactly("lines[0].unitPrice");
        assertThat(fields(EXAMPLE.replace("\"12.3400\"", "12.34001"))).containsExactly("lines[0].unitPrice");
        assertThat(fields(EXAMPLE.replace("\"12.3400\"", "\"-1.00\""))).containsExactly("lines[0].unitPrice");
        assertThat(fields(EXAMPLE.replace("\"12.3400\"", "\"1e3\""))).containsExactly("lines[0].unitPrice");
    }

    @Test
    void everyBadFieldIsNamed() {
        String body = """
                {
                  "msgId": "P44010500002202611231015000001",
                  "pharmacyCode": "P44010500001",
                  "occurredAt": "2026-11-23 10:15",
                  "insured": { "psnNo": "", "certType": "PASSPORT" },
                  "prescription": { "validDays": 0, "electronic": "yes" },
                  "useAccount": "true",
                  "lines": [
                    { "lineNo": 1, "itemCode": "X1", "quantity": "0", "unitPrice": "abc", "daysSupply": 0 },
                    { "lineNo": 1, "quantity": -2, "unitPrice": 1.5, "daysSupply": 7.0 },
                    "not a line"
                  ]
                }
                """;
        assertThat(fields(body)).containsExactly(
                "msgId",                      // starts with another pharmacy's code (CLM-01)
                "occurredAt",
                "insured.psnNo",
                "insured.certType",
                "insured.certNo",
                "prescription.electronic",
                "prescription.validDays",
                "useAccount",
                "lines[0].quantity",
                "lines[0].unitPrice",
                "lines[0].daysSupply",
                "lines[1].lineNo",            // duplicate
                "lines[1].itemCode",
                "lines[1].quantity",
                "lines[1].daysSupply",
                "lines[2]");
    }

    @Test
    void clm01_msgIdIsThirtyCharactersPharmacyCodeTimestampAndSequence() {
        String good = "P44010500001202611231015000001";
        assertThat(fields(EXAMPLE.replace(good, "P4401050000120261123101500001"))).containsExactly("msgId");   // 29
        assertThat(fields(EXAMPLE.replace(good, "P44010500001202613231015000001"))).containsExactly("msgId"); // month 13
        assertThat(fields(EXAMPLE.replace(good, "P44010500001202611231015000A01"))).containsExactly("msgId"); // sequence
        assertThat(fields(EXAMPLE.replace("\"msgId\": \"" + good + "\",", ""))).containsExactly("msgId");
        assertThat(fields(EXAMPLE.replace("\"pharmacyCode\": \"P44010500001\",", ""))).containsExactly("pharmacyCode");
    }

    @Test
    void linesAreOneToAHundred() {
        assertThat(fields(EXAMPLE.replaceAll("(?s)\"lines\": \\[.*]", "\"lines\": []"))).containsExactly("lines");
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 101; i++) {
            many.append(i > 1 ? "," : "").append("{\"lineNo\":").append(i)
                    .append(",\"itemCode\":\"X\",\"quantity\":\"1\",\"unitPrice\":\"1\",\"daysSupply\":1}");
        }
        assertThat(fields(EXAMPLE.replaceAll("(?s)\"lines\": \\[.*]", "\"lines\": [" + many + "]"))).containsExactly("lines");
        String hundred = many.substring(0, many.lastIndexOf(",{"));
        assertThat(fields(EXAMPLE.replaceAll("(?s)\"lines\": \\[.*]", "\"lines\": [" + hundred + "]"))).isEmpty();
    }

    @Test
    void requiredObjectsAndNonObjects() {
        assertThat(validator.validate(json("[1,2]"))).extracting(Problem.FieldError::field).containsExactly("$");
        assertThat(fields("{}")).containsExactly("pharmacyCode", "msgId", "occurredAt", "insured", "lines");
    }

    @Test
    void malformedJsonAndDuplicateKeysAreParseErrors() {
        assertThat(PosJson.parse("{\"a\":".getBytes(StandardCharsets.UTF_8)).error()).isNotNull();
        assertThat(PosJson.parse("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)).error()).contains("Duplicate");
        assertThat(PosJson.parse("{\"a\":1} x".getBytes(StandardCharsets.UTF_8)).error()).isNotNull();
        assertThat(PosJson.parse(new byte[0]).empty()).isTrue();
    }

    /** What the checks build is what binding the checked tree gives, for every kind of valid body. */
    @Test
    void theRequestTheChecksBuildIsWhatBindingTheTreeGives() {
        List<String> bodies = List.of(
                EXAMPLE,
                // numbers as JSON numbers, offsets Z and negative, seconds and fractions, nulls
                EXAMPLE.replace("\"quantity\": \"2\"", "\"quantity\": 0.1")
                        .replace("\"unitPrice\": \"12.3400\"", "\"unitPrice\": 1234567.8901")
                        .replace("2026-11-23T10:15:00+08:00", "2026-11-23T02:15:00.123456789Z")
                        .replace("2026-11-23T09:40:00+08:00", "2026-11-22T20:40-05:30")
                        .replace("\"operatorId\": \"op-7\"", "\"operatorId\": null"),
                // optional objects absent, empty or with nulls; unknown fields; integer amounts
                """
                {"msgId": "P44010500001202611231015000001", "pharmacyCode": "P44010500001",
                 "occurredAt": "2026-11-23T10:15+08:00", "insured": {"psnNo": "X", "certType": "ID_CARD", "certNo": "1"},
                 "purchaser": {}, "prescription": {"rxNo": null, "electronic": false}, "extra": [1, {"a": 2}],
                 "lines": [{"lineNo": 7, "itemCode": "I", "quantity": 3, "unitPrice": 10, "daysSupply": 1, "more": true},
                           {"lineNo": 2, "itemCode": "J", "quantity": "0.5", "unitPrice": "0.0001", "daysSupply": 90,
                            "pharmacistLicence": ""}]}
                """,
                """
                {"msgId": "P44010500001202611231015000001", "pharmacyCode": "P44010500001", "useAccount": false,
                 "occurredAt": "2026-11-23T10:15:30.5+14:00", "insured": {"psnNo": "X", "certType": "E_VOUCHER", "certNo": "1"},
                 "purchaser": null, "prescription": null, "operatorId": "",
                 "lines": [{"lineNo": 1, "itemCode": "I", "quantity": 1E+2, "unitPrice": 1.50, "daysSupply": 2147483647}]}
                """);
        for (String body : bodies) {
            JsonNode tree = json(body);
            SettlementRequestValidator.Checked checked = validator.read(tree);
            assertThat(checked.errors()).as(body).isEmpty();
            assertThat(checked.request()).as(body).isEqualTo(PosJson.convert(tree, SettlementRequest.class));
        }
    }

    @Test
    void anInvalidBodyBuildsNoRequest() {
        SettlementRequestValidator.Checked checked = validator.read(json(EXAMPLE.replace("\"12.3400\"", "\"12.34001\"")));
        assertThat(checked.errors()).extracting(Problem.FieldError::field).containsExactly("lines[0].unitPrice");
        assertThat(checked.request()).isNull();
    }
}
