package cn.pharmacyclaims.audit.api;

import cn.pharmacyclaims.audit.Ids;
import cn.pharmacyclaims.audit.KafkaIO;
import cn.pharmacyclaims.audit.rules.Fixtures;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.DevTokens;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** The auditors' alert API: role auditor only (SEC-02), filters, one alert by id. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
class AlertApiTest {
    @Inject
    Pool pool;

    String pharmacy;
    OffsetDateTime at;
    String alertId;

    /** An AUD-13 alert of a pharmacy of this test's own. */
    @BeforeEach
    void raiseAlert() {
        pharmacy = Ids.pharmacy();
        at = Ids.yesterdayAt(15, 0);
        SettlementDecision d = Fixtures.rejected(Ids.psn(), pharmacy, "T-1", at, RejectCode.AGREEMENT_NOT_ACTIVE,
                "agreement SUSPENDED", Fixtures.requestLine(1, "XC08CAA0450101", "A", "2", "10.00"));
        KafkaIO.sendJson(Topics.SETTLEMENT_DECISIONS, d.psnNo(), d);
        alertId = await().atMost(Duration.ofSeconds(30)).until(() -> {
            var rows = pool.preparedQuery("SELECT alert_id FROM alert WHERE pharmacy_code = $1").execute(Tuple.of(pharmacy))
                    .await().indefinitely();
            return rows.size() == 0 ? null : rows.iterator().next().getUUID("alert_id").toString();
        }, id -> id != null);
    }

    @Test
    @TestSecurity(user = "auditor-1", roles = "auditor")
    void auditorListsAlertsByPharmacyAndRule() {
        given().queryParam("pharmacyCode", pharmacy).get("/api/v1/alerts").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].alertId", equalTo(alertId))
                .body("[0].ruleId", equalTo("AUD-13"))
                .body("[0].severity", equalTo("CLEAR_VIOLATION"))
                .body("[0].behaviourType", equalTo("SUSPENDED_SETTLEMENT"))
                .body("[0].amount", equalTo("20.00"))
                .body("[0].windowStart", endsWith("+08:00"))
                .body("[0].subject.pharmacyCode", equalTo(pharmacy))
                .body("[0].settlements", hasSize(1))
                .body("[0].schemaVersion", equalTo(1));
        given().queryParam("pharmacyCode", pharmacy).queryParam("ruleId", "AUD-13")
                .queryParam("from", at.minusHours(1).toString()).queryParam("to", at.plusHours(1).toString()).queryParam("limit", "5")
                .get("/api/v1/alerts").then().statusCode(200).body("$", hasSize(1));
        given().queryParam("pharmacyCode", pharmacy).queryParam("ruleId", "AUD-01")
                .get("/api/v1/alerts").then().statusCode(200).body("$", hasSize(0));
        given().queryParam("pharmacyCode", pharmacy).queryParam("from", at.plusMinutes(1).toString())
                .get("/api/v1/alerts").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    @TestSecurity(user = "auditor-1", roles = "auditor")
    void auditorReadsOneAlert_unknownIs404() {
        given().get("/api/v1/alerts/" + alertId).then().statusCode(200)
                .body("alertId", equalTo(alertId))
                .body("ruleName", equalTo("settling while suspended or terminated"))
                .body("subject.pharmacyCode", equalTo(pharmacy));
        given().get("/api/v1/alerts/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/alerts/not-a-uuid").then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "auditor-1", roles = "auditor")
    void badFilters_namedInAProblem() {
        given().queryParam("from", "yesterday").queryParam("limit", "0").queryParam("ruleId", "X")
                .get("/api/v1/alerts").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("from", "limit", "ruleId"));
    }

    @Test
    void openApiDocumentsTheAlertApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/api/v1/alerts/{alertId}"))
                .body(org.hamcrest.Matchers.containsString("List alerts, newest first"));
    }

    @Test
    void anonymous_is401() {
        given().get("/api/v1/alerts").then().statusCode(401);
        given().get("/api/v1/alerts/" + alertId).then().statusCode(401);
    }

    @Test
    @TestSecurity(user = "maker-1", roles = "finance-maker")
    void otherRole_is403() {
        given().get("/api/v1/alerts").then().statusCode(403);
        given().get("/api/v1/alerts/" + alertId).then().statusCode(403);
    }

    @Test
    void realBearerTokens_auditorAllowed_adminNot() {
        given().auth().oauth2(DevTokens.mint("auditor-2", "auditor")).queryParam("pharmacyCode", pharmacy)
                .get("/api/v1/alerts").then().statusCode(200).body("$", hasSize(1));
        given().auth().oauth2(DevTokens.mint("admin-1", "admin")).get("/api/v1/alerts").then().statusCode(403);
        given().auth().oauth2("not-a-token").get("/api/v1/alerts").then().statusCode(401);
    }
}
