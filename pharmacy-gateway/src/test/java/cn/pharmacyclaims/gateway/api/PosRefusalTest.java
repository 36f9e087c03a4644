package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.gateway.api.PosRequests.PosTerminal;
import cn.pharmacyclaims.gateway.support.FakeSettlement;
import cn.pharmacyclaims.gateway.support.FakeSettlementQueryApi;
import cn.pharmacyclaims.gateway.support.TestTerminals;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistry;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** SEC-01 and POS-API.md "Protocol errors": every refusal is a specific problem, and none reaches Kafka. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(FakeSettlementQueryApi.class)
class PosRefusalTest {
    private static final String SETTLE = "/api/v1/settlements";

    @Inject
    TerminalRegistry registry;
    @Inject
    Pool pool;
    @TestHTTPResource("/")
    URI base;

    FakeSettlement settlement;
    TestTerminals terminals;
    long producedBefore;

    @BeforeEach
    void setUp() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        settlement = new FakeSettlement(bootstrap);
        terminals = new TestTerminals(bootstrap, registry);
        producedBefore = settlement.produced();
    }

    @AfterEach
    void tearDown() {
        settlement.close();
        terminals.close();
    }

    private void assertNothingProduced() {
        assertThat(settlement.produced()).as("records on claims.settlement-requests").isEqualTo(producedBefore);
    }

    private static String validBody(PosTerminal t) {
        return PosRequests.settlementBody(PosRequests.msgId(t.pharmacyCode()), t.pharmacyCode(), "PSN-" + UUID.randomUUID());
    }

    @Test
    void sec01_aBadSignatureIs401AndNothingReachesKafka() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        PosRequests.as(t).secret("not-the-terminal-secret").post(SETTLE, validBody(t)).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("code", equalTo("SIGNATURE_INVALID"));
        assertNothingProduced();
    }

    @Test
    void sec01_missingHeadersAreNamedIn401() {
        given().contentType("application/json").body("{}").post(SETTLE).then()
                .statusCode(401).body("code", equalTo("SIGNATURE_HEADERS_MISSING"))
                .body("detail", org.hamcrest.Matchers.containsString("X-Terminal-Id"));
        assertNothingProduced();
    }

    @Test
    void sec01_unknownAndRevokedTerminalsAre401() {
        PosTerminal ghost = new PosTerminal("T-ghost-" + UUID.randomUUID(), PosRequests.newPharmacyCode(), "whatever");
        PosRequests.as(ghost).post(SETTLE, validBody(ghost)).then().statusCode(401).body("code", equalTo("TERMINAL_UNKNOWN"));

        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        terminals.revoke(t, 2);
        PosRequests.as(t).post(SETTLE, validBody(t)).then().statusCode(401).body("code", equalTo("TERMINAL_REVOKED"));
        assertNothingProduced();
    }

    @Test
    void sec01_aReplayedNonceIs401EvenWhenAnotherInstanceSawIt() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String nonce = "nonce-" + UUID.randomUUID();
        // first use: admitted (then refused for its body, so nothing reaches Kafka)
        PosRequests.as(t).nonce(nonce).post(SETTLE, "{\"pharmacyCode\":\"" + t.pharmacyCode() + "\"}").then().statusCode(400);
        long rows = pool.preparedQuery("SELECT count(*) AS n FROM seen_nonce WHERE terminal_id = $1 AND nonce = $2")
                .execute(Tuple.of(t.terminalId(), nonce)).await().indefinitely().iterator().next().getLong("n");
        assertThat(rows).isEqualTo(1);

        PosRequests.as(t).nonce(nonce).post(SETTLE, validBody(t)).then().statusCode(401).body("code", equalTo("NONCE_REPLAYED"));

        // a nonce recorded by another gateway instance (same database) is refused here too
        String seenElsewhere = "nonce-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO seen_nonce (terminal_id, nonce) VALUES ($1, $2)")
                .execute(Tuple.of(t.terminalId(), seenElsewhere)).await().indefinitely();
        PosRequests.as(t).nonce(seenElsewhere).post(SETTLE, validBody(t)).then().statusCode(401).body("code", equalTo("NONCE_REPLAYED"));
        assertNothingProduced();
    }

    @Test
    void sec01_theSameSignedRequestSentConcurrentlyIsAdmittedOnce() throws Exception {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String nonce = "nonce-" + UUID.randomUUID();
        String timestamp = OffsetDateTime.now(ZoneOffset.ofHours(8)).toString();
        // admitted, then refused for its body (400): nothing reaches Kafka either way
        byte[] body = ("{\"pharmacyCode\":\"" + t.pharmacyCode() + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(SETTLE))
                .header("Content-Type", "application/json")
                .header(PosSignature.HEADER_TERMINAL, t.terminalId())
                .header(PosSignature.HEADER_TIMESTAMP, timestamp)
                .header(PosSignature.HEADER_NONCE, nonce)
                .header(PosSignature.HEADER_SIGNATURE, PosSignature.sign(t.secret(), "POST", SETTLE, timestamp, nonce, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            statuses.add(r.statusCode());
            if (r.statusCode() == 401) {
                assertThat(r.body()).contains("NONCE_REPLAYED");
            }
        }
        assertThat(statuses).as("one replay check passed, eleven replays").containsOnlyOnce(400)
                .containsOnly(400, 401);
        assertNothingProduced();
    }

    @Test
    void sec01_aNonceShorterThan16CharactersIs401() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        PosRequests.as(t).nonce("short-nonce").post(SETTLE, validBody(t)).then().statusCode(401).body("code", equalTo("NONCE_INVALID"));
        assertNothingProduced();
    }

    @Test
    void sec01_aTimestampSixMinutesOldIs401() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String old = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusMinutes(6).toString();
        PosRequests.as(t).timestamp(old).post(SETTLE, validBody(t)).then()
                .statusCode(401).body("code", equalTo("TIMESTAMP_OUT_OF_WINDOW"));
        PosRequests.as(t).timestamp("23/11/2026 10:15").post(SETTLE, validBody(t)).then()
                .statusCode(401).body("code", equalTo("TIMESTAMP_INVALID"));
        assertNothingProduced();
    }

    @Test
    void sec01_aTerminalOfAnotherPharmacyIs403() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String other = PosRequests.newPharmacyCode();
        PosRequests.as(t).post(SETTLE, PosRequests.settlementBody(PosRequests.msgId(other), other, "PSN-403")).then()
                .statusCode(403).body("code", equalTo("TERMINAL_PHARMACY_MISMATCH"));
        assertNothingProduced();
    }

    @Test
    void aMalformedBodyIs400NamingEveryBadFieldAndNothingReachesKafka() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String body = """
                {"msgId": "%s", "pharmacyCode": "%s", "occurredAt": "2026-11-23T10:15:00",
                 "insured": {"psnNo": "PSN-1", "certType": "PASSPORT"},
                 "lines": [{"lineNo": 1, "itemCode": "X", "quantity": "0", "unitPrice": "1.23456", "daysSupply": 7},
                           {"lineNo": 1, "itemCode": "Y", "quantity": 2, "unitPrice": 1.5, "daysSupply": "7"}]}
                """.formatted(t.pharmacyCode() + "2026112310150", t.pharmacyCode());
        Response r = PosRequests.as(t).post(SETTLE, body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getList("errors.field")).containsExactly(
                "msgId", "occurredAt", "insured.certType", "insured.certNo",
                "lines[0].quantity", "lines[0].unitPrice", "lines[1].lineNo", "lines[1].daysSupply");
        PosRequests.as(t).post(SETTLE, "{not json").then().statusCode(400).body("errors[0].field", equalTo("$"));
        assertNothingProduced();
    }

    @Test
    void aBodyOver64KiBIs413() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String big = validBody(t).replace("\"operatorId\": \"op-7\"", "\"operatorId\": \"" + "x".repeat(70 * 1024) + "\"");
        PosRequests.as(t).post(SETTLE, big).then().statusCode(413).body("code", equalTo("BODY_TOO_LARGE"));
        assertNothingProduced();
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        PosRequests.as(t).contentType("text/plain").post(SETTLE, validBody(t)).then()
                .statusCode(415).contentType("application/problem+json").body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
        assertNothingProduced();
    }

    @Test
    void aTerminalOverItsRateIs429WithRetryAfter() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String malformed = "{\"pharmacyCode\":\"" + t.pharmacyCode() + "\"}";  // admitted up to the 400 check
        List<Integer> statuses = new ArrayList<>();
        Response limited = null;
        for (int i = 0; i < 30 && limited == null; i++) {
            Response r = PosRequests.as(t).post(SETTLE, malformed);
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertThat(limited).as("statuses %s", statuses).isNotNull();
        assertThat(statuses.get(0)).isEqualTo(400);
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();
        assertThat(limited.jsonPath().getString("code")).isEqualTo("RATE_LIMITED");
        // another terminal is not held back
        PosTerminal other = terminals.register(PosRequests.newPharmacyCode());
        PosRequests.as(other).post(SETTLE, "{\"pharmacyCode\":\"" + other.pharmacyCode() + "\"}").then().statusCode(400);
        assertNothingProduced();
    }
}
