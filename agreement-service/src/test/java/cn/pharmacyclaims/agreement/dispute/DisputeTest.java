package cn.pharmacyclaims.agreement.dispute;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** AGR-13: disputes are recorded against a decision and never block it. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class DisputeTest {

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void agr13_aDisputeAgainstATerminationIsRecordedAndTheTerminationStands() {
        String code = Fixtures.importActive();
        long decision = given().contentType("application/json").body(Map.of("reason", "forged prescriptions", "ground", "FORGED_RECORDS"))
                .post("/api/v1/pharmacies/" + code + "/terminate").then().statusCode(200).extract().jsonPath().getLong("history[1].id");
        given().contentType("application/json")
                .body(Map.of("kind", "ADMINISTRATIVE_REVIEW", "historyId", decision, "text", "the pharmacy applies for administrative review"))
                .post("/api/v1/pharmacies/" + code + "/disputes").then().statusCode(201)
                .body("kind", equalTo("ADMINISTRATIVE_REVIEW")).body("historyId", equalTo((int) decision)).body("filedBy", equalTo("officer-wang"));
        given().contentType("application/json").body(Map.of("kind", "LAWSUIT", "historyId", decision, "text", "and sues"))
                .post("/api/v1/pharmacies/" + code + "/disputes").then().statusCode(201);
        given().get("/api/v1/pharmacies/" + code).then()
                .body("status", equalTo("TERMINATED"))
                .body("disputes.kind", contains("ADMINISTRATIVE_REVIEW", "LAWSUIT"))
                .body("records.find { it.subjectType == 'DISPUTE' }.detail", containsString("the decision stands"));
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void agr13_badDisputesAreSpecific4xx() {
        String code = Fixtures.importActive();
        String other = Fixtures.importActive();
        long othersDecision = given().get("/api/v1/pharmacies/" + other).then().extract().jsonPath().getLong("history[0].id");
        given().contentType("application/json").body(Map.of("kind", "PROTEST", "text", " "))
                .post("/api/v1/pharmacies/" + code + "/disputes").then().statusCode(400)
                .body("errors.field", contains("kind", "historyId", "text"));
        given().contentType("application/json").body(Map.of("kind", "NEGOTIATION", "historyId", othersDecision, "text", "x"))
                .post("/api/v1/pharmacies/" + code + "/disputes").then().statusCode(400)
                .body("errors[0].field", equalTo("historyId"));
        given().contentType("application/json").body(Map.of("kind", "NEGOTIATION", "historyId", othersDecision, "text", "x"))
                .post("/api/v1/pharmacies/" + Fixtures.code() + "/disputes").then().statusCode(404);
        given().get("/api/v1/pharmacies/" + code).then().body("disputes", hasSize(0));
    }
}
