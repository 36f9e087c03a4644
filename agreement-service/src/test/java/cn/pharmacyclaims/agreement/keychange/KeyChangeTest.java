package cn.pharmacyclaims.agreement.keychange;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.agreement.lifecycle.AgreementScheduler;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.agreement.Fixtures.today;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class KeyChangeTest {
    @Inject
    AgreementScheduler scheduler;

    static Map<String, Object> change(String approvedOn) {
        return Map.of("items", List.of("LEGAL_REPRESENTATIVE"), "description", "new legal representative", "approvedOn", approvedOn);
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void agr06_filingWithin30WorkingDaysAcrossNationalDay2025_overdueIsATerminationGround_anOfficerTerminates() {
        String code = Fixtures.importActive();
        given().contentType("application/json").body(change("2025-09-25")).post("/api/v1/pharmacies/" + code + "/key-changes").then()
                .statusCode(201)
                .body("filingDue", equalTo("2025-11-12")).body("filingDueProvisional", equalTo(false))
                .body("status", equalTo("AWAITING_FILING")).body("items", contains("LEGAL_REPRESENTATIVE"));

        scheduler.runOnce().await().indefinitely();
        given().get("/api/v1/pharmacies/" + code).then().statusCode(200)
                .body("keyChanges[0].status", equalTo("OVERDUE"))
                .body("terminationGroundsFound[0].ground", equalTo("UNFILED_KEY_CHANGE"))
                .body("terminationGroundsFound[0].filingDue", equalTo("2025-11-12"))
                .body("records.findAll { it.action == 'TERMINATION_GROUND' }", hasSize(1))
                .body("records.find { it.action == 'TERMINATION_GROUND' }.actor", equalTo("system:agreement-scheduler"))
                // an overdue filing is a ground, not a termination: an officer decides
                .body("status", equalTo("ACTIVE")).body("history", hasSize(1));

        long id = given().get("/api/v1/pharmacies/" + code + "/key-changes").then().extract().jsonPath().getLong("[0].id");
        given().contentType("application/json").body(Map.of("reason", "filed at last")).post("/api/v1/pharmacies/" + code + "/key-changes/" + id + "/filed")
                .then().statusCode(200).body("status", equalTo("FILED")).body("filedOn", equalTo(today().toString()))
                .body("filedLate", equalTo(true));
        given().contentType("application/json").body(Map.of()).post("/api/v1/pharmacies/" + code + "/key-changes/" + id + "/filed")
                .then().statusCode(409).body("code", equalTo("ALREADY_FILED"));

        given().contentType("application/json").body(Map.of("reason", "legal representative changed without filing", "ground", "UNFILED_KEY_CHANGE"))
                .post("/api/v1/pharmacies/" + code + "/terminate").then().statusCode(200)
                .body("status", equalTo("TERMINATED"))
                .body("agreement.terminationGround", equalTo("UNFILED_KEY_CHANGE"))
                // AGR-12: serious breach, 1 year
                .body("bans[0].subject", equalTo("PHARMACY:" + code))
                .body("bans[0].untilDate", equalTo(today().plusYears(1).toString()));
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void agr06_acrossMidAutumnAndNationalDay2026_filedInTimeIsNoGround() {
        String code = Fixtures.importActive();
        given().contentType("application/json")
                .body(Map.of("items", List.of("NAME", "REGISTERED_ADDRESS"), "description", "moved", "approvedOn", "2026-09-24", "filedOn", "2026-10-20"))
                .post("/api/v1/pharmacies/" + code + "/key-changes").then().statusCode(201)
                .body("filingDue", equalTo("2026-11-12")).body("status", equalTo("FILED")).body("filedLate", equalTo(false));
        scheduler.runOnce().await().indefinitely();
        given().get("/api/v1/pharmacies/" + code).then()
                .body("terminationGroundsFound", empty())
                .body("deadlines[0].status", equalTo("MET"))
                .body("records.action", hasItem("FILED"));
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void badInputIsASpecific4xxAndStoresNothing() {
        String code = Fixtures.importActive();
        given().contentType("application/json").body(change("2025-09-25")).post("/api/v1/pharmacies/" + Fixtures.code() + "/key-changes")
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/json").body(change(today().plusDays(1).toString())).post("/api/v1/pharmacies/" + code + "/key-changes")
                .then().statusCode(400).body("errors.field", contains("approvedOn"));
        given().contentType("application/json")
                .body(Map.of("items", List.of("HAIRCUT"), "description", " ", "approvedOn", "2025-09-25", "filedOn", "2025-09-24"))
                .post("/api/v1/pharmacies/" + code + "/key-changes")
                .then().statusCode(400).body("errors.field", contains("items[0]", "description", "filedOn"))
                .body("errors[2].message", containsString("before approvedOn"));
        given().get("/api/v1/pharmacies/" + code + "/key-changes").then().statusCode(200).body("", empty());
        given().get("/api/v1/pharmacies/" + code).then().body("deadlines", empty()).body("records", empty());
    }
}
