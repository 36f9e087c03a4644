package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.common.security.PosSignature;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Signs POS calls the way a terminal does (POS-API.md "Request signing"), for the gateway's tests. */
public final class PosRequests {
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private PosRequests() {
    }

    public record PosTerminal(String terminalId, String pharmacyCode, String secret) {
    }

    /** A pharmacy code no other test uses: "P" and 11 digits. */
    public static String newPharmacyCode() {
        return "P" + String.format("%011d", ThreadLocalRandom.current().nextLong(100_000_000_000L));
    }

    /** CLM-01: pharmacy code + yyyyMMddHHmmss + 4-digit sequence. */
    public static String msgId(String pharmacyCode) {
        return pharmacyCode + OffsetDateTime.now(BEIJING).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                + String.format("%04d", SEQ.incrementAndGet() % 10_000);
    }

    public static String settlementBody(String msgId, String pharmacyCode, String psnNo) {
        return """
                {"msgId": "%s", "pharmacyCode": "%s", "occurredAt": "%s", "operatorId": "op-7",
                 "insured": {"psnNo": "%s", "certType": "SOCIAL_CARD", "certNo": "A12345678"},
                 "useAccount": true,
                 "lines": [{"lineNo": 1, "itemCode": "XC08CAA0450101", "quantity": "2", "unitPrice": "12.3400",
                            "daysSupply": 7, "pharmacistLicence": "PH-0091"}]}
                """.formatted(msgId, pharmacyCode, OffsetDateTime.now(BEIJING).withNano(0), psnNo);
    }

    public static Signer as(PosTerminal terminal) {
        return new Signer(terminal);
    }

    /** One signed call; every part can be spoiled on purpose. */
    public static final class Signer {
        private final PosTerminal terminal;
        private String timestamp = OffsetDateTime.now(BEIJING).toString();
        private String nonce = UUID.randomUUID().toString();
        private String contentType = "application/json";
        private String secret;

        private Signer(PosTerminal terminal) {
            this.terminal = terminal;
            this.secret = terminal.secret();
        }

        public Signer timestamp(String ts) {
            this.timestamp = ts;
            return this;
        }

        public Signer nonce(String n) {
            this.nonce = n;
            return this;
        }

        public Signer contentType(String ct) {
            this.contentType = ct;
            return this;
        }

        /** Sign with another secret than the terminal's (a forger). */
        public Signer secret(String s) {
            this.secret = s;
            return this;
        }

        public String nonce() {
            return nonce;
        }

        private RequestSpecification spec(String method, String path, byte[] body) {
            return given()
                    .header(PosSignature.HEADER_TERMINAL, terminal.terminalId())
                    .header(PosSignature.HEADER_TIMESTAMP, timestamp)
                    .header(PosSignature.HEADER_NONCE, nonce)
                    .header(PosSignature.HEADER_SIGNATURE, PosSignature.sign(secret, method, path, timestamp, nonce, body));
        }

        public Response post(String path, String body) {
            return post(path, body.getBytes(StandardCharsets.UTF_8));
        }

        public Response post(String path, byte[] body) {
            RequestSpecification s = spec("POST", path, body);
            if (contentType != null) {
                s = s.contentType(contentType);
            }
            return s.body(body).when().post(path);
        }

        /** The signature covers the path only, never the query string. */
        public Response get(String path, Map<String, String> query) {
            return spec("GET", path, new byte[0]).queryParams(query).when().get(path);
        }
    }
}
