package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.testinfra.DevTokens;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.agreement.Fixtures.row;
import static cn.pharmacyclaims.agreement.Fixtures.today;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

/** The published lists need no authentication (AGR-04, AGR-09). */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class PublicListTest {

    @Test
    void agr04_agr09_designatedAndTerminatedListsPerRegion() {
        String admin = DevTokens.mint("admin-li", "admin");
        String officer = DevTokens.mint("officer-wang", "agency-officer");
        String region = Fixtures.region();
        String active = Fixtures.code(region);
        String held = Fixtures.code(region);
        String suspended = Fixtures.code(region);
        String terminated = Fixtures.code(region);
        String expired = Fixtures.code(region);
        String elsewhereRegion = Fixtures.region();
        String elsewhere = Fixtures.code(elsewhereRegion);
        given().auth().oauth2(admin).contentType("application/json").body(List.of(
                        row(active, region, "ACTIVE", "GENERAL", today().minusMonths(1), today().plusYears(1)),
                        row(held, region, "SETTLEMENT_HOLD", "GENERAL", today().minusMonths(1), today().plusYears(1)),
                        row(suspended, region, "SUSPENDED", "GENERAL", today().minusMonths(1), today().plusYears(1)),
                        row(terminated, region, "TERMINATED", "GENERAL", today().minusMonths(1), today().plusYears(1)),
                        row(expired, region, "ACTIVE", "GENERAL", today().minusYears(2), today().minusYears(1)),
                        row(elsewhere, elsewhereRegion, "ACTIVE", "SPECIAL_DRUG", today().minusMonths(1), today().plusYears(1))))
                .post("/api/v1/admin/pharmacies").then().statusCode(200);

        given().queryParam("regionCode", region).get("/api/v1/public/pharmacies").then().statusCode(200)
                .body("code", contains(active, held))
                .body("status", contains("ACTIVE", "SETTLEMENT_HOLD"))
                .body("[0].name", equalTo("Pharmacy " + active))
                .body("[0].address", equalTo("1 Test Road, " + region))
                .body("[0].regionCode", equalTo(region));
        given().queryParam("regionCode", region).get("/api/v1/public/pharmacies/terminated").then().statusCode(200)
                .body("code", contains(terminated))
                .body("[0].terminatedOn", equalTo(today().toString()));

        given().auth().oauth2(officer).contentType("application/json").body(Map.of("reason", "cashing out", "ground", "CASHING_OUT"))
                .post("/api/v1/pharmacies/" + active + "/terminate").then().statusCode(200);
        given().queryParam("regionCode", region).get("/api/v1/public/pharmacies").then().body("code", contains(held));
        given().queryParam("regionCode", region).get("/api/v1/public/pharmacies/terminated").then()
                .body("code", contains(active, terminated));

        given().get("/api/v1/public/pharmacies").then().statusCode(200)
                .body("code", hasItems(held, elsewhere))
                .body("code", not(hasItem(suspended)));
    }

    @Test
    void aBadRegionCodeIsAProblem() {
        given().queryParam("regionCode", "44").get("/api/v1/public/pharmacies").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("regionCode"));
    }
}
