package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.agreement.TopicProbe;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.DevTokens;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.agreement.Fixtures.today;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class LifecycleTest {
    static final String OFFICER = "officer-wang";

    @Inject
    Pool pool;

    static ValidatableResponse act(String code, String action, Map<String, Object> body) {
        return given().contentType("application/json").body(body).post("/api/v1/pharmacies/" + code + "/" + action).then();
    }

    static ValidatableResponse act(String code, String action, String reason) {
        return act(code, action, Map.of("reason", reason));
    }

    static void refused(String code, String action, Map<String, Object> body, String currentStatus) {
        act(code, action, body).statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("ILLEGAL_TRANSITION"))
                .body("currentStatus", equalTo(currentStatus))
                .body("action", equalTo(action))
                .body("pharmacyCode", equalTo(code))
                .body("detail", containsString(currentStatus))
                .body("detail", containsString(action));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void agr07_agr08_everyTransitionIsRecordedWithWhoAndWhyAndPublished() {
        String code = Fixtures.importActive();
        try (TopicProbe probe = new TopicProbe(Topics.PHARMACY_STATUS, code)) {
            act(code, "suspend", Map.of("reason", "fails to provide data", "requestedByPharmacy", false)).statusCode(200)
                    .body("status", equalTo("SUSPENDED")).body("agreement.suspensionsInTerm", equalTo(1))
                    .body("agreement.suspendedAt", notNullValue()).body("version", equalTo(2));
            act(code, "resume", "data provided").statusCode(200).body("status", equalTo("ACTIVE"))
                    .body("agreement.suspendedAt", nullValue());
            act(code, "settlement-hold", "second confirmed case").statusCode(200)
                    .body("status", equalTo("SETTLEMENT_HOLD")).body("settlementHold", equalTo(true));
            act(code, "lift-hold", "rectified").statusCode(200)
                    .body("status", equalTo("ACTIVE")).body("settlementHold", equalTo(false))
                    .body("history", hasSize(5))
                    .body("history.action", contains("IMPORT", "SUSPEND", "RESUME", "SETTLEMENT_HOLD", "LIFT_HOLD"))
                    .body("history.fromStatus", contains(null, "ACTIVE", "SUSPENDED", "ACTIVE", "SETTLEMENT_HOLD"))
                    .body("history.toStatus", contains("ACTIVE", "SUSPENDED", "ACTIVE", "SETTLEMENT_HOLD", "ACTIVE"))
                    .body("history.reason", contains("imported", "fails to provide data", "data provided", "second confirmed case", "rectified"))
                    .body("history.actor", contains(OFFICER, OFFICER, OFFICER, OFFICER, OFFICER))
                    .body("history.source", contains("IMPORT", "STAFF", "STAFF", "STAFF", "STAFF"))
                    .body("history.version", contains(1, 2, 3, 4, 5))
                    .body("history[1].ruleId", equalTo("AGR-07"))
                    .body("history[3].ruleId", equalTo("AGR-08"))
                    .body("history[4].at", notNullValue());

            List<PharmacyStatusChanged> events = probe.awaitCount(5).stream()
                    .map(r -> Json.read(r.value(), PharmacyStatusChanged.class)).toList();
            assertThat(events).extracting(PharmacyStatusChanged::status).containsExactly(PharmacyStatus.ACTIVE,
                    PharmacyStatus.SUSPENDED, PharmacyStatus.ACTIVE, PharmacyStatus.SETTLEMENT_HOLD, PharmacyStatus.ACTIVE);
            assertThat(events).extracting(PharmacyStatusChanged::version).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(events.get(1).reason()).isEqualTo("fails to provide data");
        }
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void agr09_aSecondSuspensionInOneTermTerminatesTheAgreement() {
        String code = Fixtures.importActive();
        try (TopicProbe probe = new TopicProbe(Topics.PHARMACY_STATUS, code)) {
            act(code, "suspend", "untrue data").statusCode(200).body("status", equalTo("SUSPENDED"));
            act(code, "resume", "corrected").statusCode(200);
            act(code, "suspend", "untrue data again").statusCode(200)
                    .body("status", equalTo("TERMINATED"))
                    .body("agreement.terminationGround", equalTo("REPEATED_SUSPENSION"))
                    .body("agreement.suspensionsInTerm", equalTo(2))
                    .body("history[3].action", equalTo("SUSPEND"))
                    .body("history[3].toStatus", equalTo("TERMINATED"))
                    .body("history[3].ground", equalTo("REPEATED_SUSPENSION"))
                    .body("history[3].ruleId", equalTo("AGR-09"))
                    .body("history[3].reason", containsString("untrue data again"))
                    .body("history[3].reason", containsString("AGR-09"));
            PharmacyStatusChanged last = Json.read(probe.awaitMatching(r -> r.value().contains("\"version\":4")).value(),
                    PharmacyStatusChanged.class);
            assertThat(last.status()).isEqualTo(PharmacyStatus.TERMINATED);
        }
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void agr09_specialDrugAgreementsAllowTwoSuspensionsAndPharmacyRequestsDoNotCount() {
        String region = Fixtures.region();
        String code = Fixtures.code(region);
        Fixtures.importRows(List.of(Fixtures.row(code, region, "ACTIVE", "SPECIAL_DRUG", today().minusMonths(1), today().plusYears(1))));
        act(code, "suspend", Map.of("reason", "renovation", "requestedByPharmacy", true)).statusCode(200)
                .body("agreement.suspensionRequestedByPharmacy", equalTo(true)).body("agreement.suspensionsInTerm", equalTo(0));
        act(code, "resume", "reopened").statusCode(200);
        act(code, "suspend", "risk 1").statusCode(200).body("status", equalTo("SUSPENDED"));
        act(code, "resume", "ok").statusCode(200);
        act(code, "suspend", "risk 2").statusCode(200).body("status", equalTo("SUSPENDED"));
        act(code, "resume", "ok").statusCode(200);
        act(code, "suspend", "risk 3").statusCode(200).body("status", equalTo("TERMINATED"));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void agr08_aHeldPharmacySuspendedAndResumedIsHeldAgain() {
        String code = Fixtures.importActive();
        act(code, "settlement-hold", "case confirmed").statusCode(200);
        act(code, "suspend", "major risk").statusCode(200).body("status", equalTo("SUSPENDED")).body("settlementHold", equalTo(true));
        act(code, "resume", "risk cleared").statusCode(200).body("status", equalTo("SETTLEMENT_HOLD"));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void illegalTransitionsAreRefusedWith409NamingStatusAndActionAndChangeNothing() {
        String code = Fixtures.importActive();
        refused(code, "resume", Map.of("reason", "x"), "ACTIVE");
        refused(code, "lift-hold", Map.of("reason", "x"), "ACTIVE");
        act(code, "suspend", "x").statusCode(200);
        refused(code, "suspend", Map.of("reason", "x"), "SUSPENDED");
        refused(code, "settlement-hold", Map.of("reason", "x"), "SUSPENDED");
        act(code, "resume", "x").statusCode(200);
        act(code, "settlement-hold", "x").statusCode(200);
        refused(code, "settlement-hold", Map.of("reason", "x"), "SETTLEMENT_HOLD");
        refused(code, "resume", Map.of("reason", "x"), "SETTLEMENT_HOLD");
        given().get("/api/v1/pharmacies/" + code).then().body("history", hasSize(4)).body("version", equalTo(4));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void agr09_nothingLeavesTerminated() {
        String code = Fixtures.importActive();
        act(code, "terminate", Map.of("reason", "swapped goods into covered drugs", "ground", "GOODS_SWAPPING")).statusCode(200)
                .body("status", equalTo("TERMINATED"))
                .body("agreement.terminationGround", equalTo("GOODS_SWAPPING"))
                .body("history[1].ground", equalTo("GOODS_SWAPPING"))
                .body("history[1].actor", equalTo(OFFICER));
        for (String action : List.of("suspend", "resume", "settlement-hold", "lift-hold")) {
            refused(code, action, Map.of("reason", "try"), "TERMINATED");
        }
        refused(code, "terminate", Map.of("reason", "again", "ground", "OTHER"), "TERMINATED");
        given().get("/api/v1/pharmacies/" + code).then().body("history", hasSize(2)).body("status", equalTo("TERMINATED"));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void sec04_aReasonIsMandatoryAndTerminationNeedsAStaffGround() {
        String code = Fixtures.importActive();
        act(code, "suspend", Map.of("requestedByPharmacy", false)).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("reason"));
        act(code, "resume", Map.of("reason", "   ")).statusCode(400).body("errors[0].field", equalTo("reason"));
        act(code, "terminate", Map.of()).statusCode(400).body("errors.field", contains("reason", "ground"));
        act(code, "terminate", Map.of("reason", "x", "ground", "BAD_LUCK")).statusCode(400).body("errors.field", contains("ground"));
        act(code, "terminate", Map.of("reason", "x", "ground", "REPEATED_SUSPENSION")).statusCode(400)
                .body("errors[0].message", containsString("system"));
        given().get("/api/v1/pharmacies/" + code).then().body("status", equalTo("ACTIVE")).body("version", equalTo(1));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = "agency-officer")
    void unknownPharmacyIs404() {
        String code = Fixtures.code();
        act(code, "suspend", "x").statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/pharmacies/" + code).then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void sec02_onlyAgencyOfficersChangeAgreements() {
        String code = Fixtures.importActive();
        act(code, "suspend", "x").statusCode(403);
        given().get("/api/v1/pharmacies/" + code).then().statusCode(200);
    }

    @Test
    void sec02_realStaffTokenNamesTheOfficerInHistory() {
        String admin = DevTokens.mint("admin-li", "admin");
        String officer = DevTokens.mint("officer-zhao", "agency-officer");
        String code = Fixtures.code();
        given().auth().oauth2(admin).contentType("application/json").body(List.of(Fixtures.activeRow(code)))
                .post("/api/v1/admin/pharmacies").then().statusCode(200);
        given().contentType("application/json").body(Map.of("reason", "x")).post("/api/v1/pharmacies/" + code + "/suspend")
                .then().statusCode(401);
        given().auth().oauth2(officer).contentType("application/json").body(Map.of("reason", "no data for 3 months"))
                .post("/api/v1/pharmacies/" + code + "/suspend").then().statusCode(200)
                .body("history[1].actor", equalTo("officer-zhao"))
                .body("history[0].actor", equalTo("admin-li"));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void sec04_historyRowsCannotBeUpdatedOrDeleted() {
        String code = Fixtures.importActive();
        assertThatThrownBy(() -> pool.preparedQuery("UPDATE agreement_status_history SET reason = 'edited' WHERE pharmacy_code = $1")
                .execute(Tuple.of(code)).await().indefinitely()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> pool.preparedQuery("DELETE FROM agreement_status_history WHERE pharmacy_code = $1")
                .execute(Tuple.of(code)).await().indefinitely()).hasMessageContaining("append-only");
        given().get("/api/v1/pharmacies/" + code).then().body("history[0].reason", equalTo("imported"));
    }
}
