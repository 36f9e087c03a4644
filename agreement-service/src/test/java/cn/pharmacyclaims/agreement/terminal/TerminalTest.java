package cn.pharmacyclaims.agreement.terminal;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.agreement.TopicProbe;
import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.common.security.SecretCipher;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class TerminalTest {
    @Inject
    Pool pool;

    static String terminalId() {
        return "T-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String register(String pharmacy, String terminalId) {
        return given().contentType("application/json").body(Map.of("terminalId", terminalId))
                .post("/api/v1/admin/pharmacies/" + pharmacy + "/terminals")
                .then().statusCode(200).body("terminalId", equalTo(terminalId))
                .extract().path("secret");
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void sec01_registrationAnswersTheSecretOnceAndPublishesOnlyItsCiphertext() {
        String pharmacy = Fixtures.importActive();
        String id = terminalId();
        SecretCipher cipher = new SecretCipher("dev-terminal-secret-key-change-me");  // the key the gateway holds
        try (TopicProbe probe = new TopicProbe(Topics.TERMINALS, id)) {
            String secret = register(pharmacy, id);
            assertThat(secret).hasSizeGreaterThanOrEqualTo(40);

            ConsumerRecord<String, String> record = probe.awaitCount(1).get(0);
            assertThat(record.value()).doesNotContain(secret);
            TerminalChanged e = Json.read(record.value(), TerminalChanged.class);
            assertThat(e.terminalId()).isEqualTo(id);
            assertThat(e.pharmacyCode()).isEqualTo(pharmacy);
            assertThat(e.status()).isEqualTo(TerminalChanged.Status.ACTIVE);
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.changedAt()).isNotNull();
            assertThat(e.secretCiphertext()).isNotEqualTo(secret);
            assertThat(cipher.decrypt(e.secretCiphertext())).isEqualTo(secret);
        }
        // stored encrypted only
        String stored = pool.preparedQuery("SELECT secret_ciphertext FROM terminal WHERE terminal_id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getString("secret_ciphertext");
        assertThat(stored).isNotEqualTo(cipher.decrypt(stored));

        given().get("/api/v1/admin/pharmacies/" + pharmacy + "/terminals").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].terminalId", equalTo(id))
                .body("[0].status", equalTo("ACTIVE"))
                .body("[0]", not(hasKey("secret")))
                .body("[0]", not(hasKey("secretCiphertext")));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void sec01_rotateIssuesANewSecretAndRevokeEndsTheTerminal() {
        String pharmacy = Fixtures.importActive();
        String id = terminalId();
        SecretCipher cipher = new SecretCipher("dev-terminal-secret-key-change-me");
        try (TopicProbe probe = new TopicProbe(Topics.TERMINALS, id)) {
            String first = register(pharmacy, id);
            String second = given().post("/api/v1/admin/terminals/" + id + "/rotate")
                    .then().statusCode(200).body("terminalId", equalTo(id)).extract().path("secret");
            assertThat(second).isNotEqualTo(first);
            given().contentType("application/json").body(Map.of("reason", "device stolen"))
                    .post("/api/v1/admin/terminals/" + id + "/revoke")
                    .then().statusCode(200).body("status", equalTo("REVOKED")).body("version", equalTo(3))
                    .body("", not(hasKey("secret")));

            List<TerminalChanged> events = probe.awaitCount(3).stream().map(r -> Json.read(r.value(), TerminalChanged.class)).toList();
            assertThat(events).extracting(TerminalChanged::version).containsExactly(1L, 2L, 3L);
            assertThat(events).extracting(TerminalChanged::status).containsExactly(TerminalChanged.Status.ACTIVE,
                    TerminalChanged.Status.ACTIVE, TerminalChanged.Status.REVOKED);
            assertThat(cipher.decrypt(events.get(1).secretCiphertext())).isEqualTo(second);
        }
        // a revoked terminal cannot be rotated or revoked again
        given().post("/api/v1/admin/terminals/" + id + "/rotate").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("TERMINAL_REVOKED"));
        given().post("/api/v1/admin/terminals/" + id + "/revoke").then().statusCode(409);
        // SEC-04: each step is in the terminal history with who
        List<String> actions = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT action, actor FROM terminal_history WHERE terminal_id = $1 ORDER BY id")
                .execute(Tuple.of(id)).await().indefinitely().forEach(r -> actions.add(r.getString("action") + ":" + r.getString("actor")));
        assertThat(actions).containsExactly("REGISTERED:admin-li", "ROTATED:admin-li", "REVOKED:admin-li");
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void sec01_reRegisteringARevokedTerminalToTheSamePharmacyReissuesIt() {
        String pharmacy = Fixtures.importActive();
        String id = terminalId();
        register(pharmacy, id);
        given().post("/api/v1/admin/terminals/" + id + "/revoke").then().statusCode(200);
        register(pharmacy, id);
        given().get("/api/v1/admin/pharmacies/" + pharmacy + "/terminals").then()
                .body("[0].status", equalTo("ACTIVE")).body("[0].version", equalTo(3));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void sec01_aTerminalBelongsToOnePharmacy() {
        String owner = Fixtures.importActive();
        String other = Fixtures.importActive();
        String id = terminalId();
        register(owner, id);
        given().contentType("application/json").body(Map.of("terminalId", id))
                .post("/api/v1/admin/pharmacies/" + other + "/terminals")
                .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("TERMINAL_TAKEN"));
        given().get("/api/v1/admin/pharmacies/" + other + "/terminals").then().body("", hasSize(0));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void anAbsentTerminalIdIsGenerated() {
        String pharmacy = Fixtures.importActive();
        given().contentType("application/json").body("{}").post("/api/v1/admin/pharmacies/" + pharmacy + "/terminals")
                .then().statusCode(200).body("terminalId", startsWith("T-"));
        given().post("/api/v1/admin/pharmacies/" + pharmacy + "/terminals").then().statusCode(200);
        given().get("/api/v1/admin/pharmacies/" + pharmacy + "/terminals").then().body("", hasSize(2));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void unknownPharmacyOrTerminalIs404AndABadIdIs400() {
        given().contentType("application/json").body(Map.of("terminalId", terminalId()))
                .post("/api/v1/admin/pharmacies/" + Fixtures.code() + "/terminals").then().statusCode(404);
        given().get("/api/v1/admin/pharmacies/" + Fixtures.code() + "/terminals").then().statusCode(404);
        given().post("/api/v1/admin/terminals/" + terminalId() + "/rotate").then().statusCode(404);
        given().post("/api/v1/admin/terminals/" + terminalId() + "/revoke").then().statusCode(404);
        given().contentType("application/json").body(Map.of("terminalId", "bad id with spaces"))
                .post("/api/v1/admin/pharmacies/" + Fixtures.importActive() + "/terminals")
                .then().statusCode(400).body("errors[0].field", equalTo("terminalId"));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = {"admin", "agency-officer"})
    void agr09_aTerminatedPharmacyGetsNoTerminal() {
        String pharmacy = Fixtures.importActive();
        given().contentType("application/json").body(Map.of("reason", "fraud", "ground", "APPLICATION_FRAUD"))
                .post("/api/v1/pharmacies/" + pharmacy + "/terminate").then().statusCode(200);
        given().contentType("application/json").body(Map.of("terminalId", terminalId()))
                .post("/api/v1/admin/pharmacies/" + pharmacy + "/terminals")
                .then().statusCode(409).body("code", equalTo("PHARMACY_TERMINATED"));
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = "agency-officer")
    void sec02_terminalsAreForAdminsOnly() {
        given().contentType("application/json").body(Map.of("terminalId", terminalId()))
                .post("/api/v1/admin/pharmacies/" + Fixtures.code() + "/terminals").then().statusCode(403);
        given().post("/api/v1/admin/terminals/" + terminalId() + "/rotate").then().statusCode(403);
    }
}
