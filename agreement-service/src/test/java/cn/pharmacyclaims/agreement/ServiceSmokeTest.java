package cn.pharmacyclaims.agreement;

import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class ServiceSmokeTest {

    @Test
    void readyAndDocumented() {
        given().get("/q/health/ready").then().statusCode(200);
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/admin/pharmacies"))
                .body(containsString("/api/v1/admin/pharmacies/{code}/terminals"))
                .body(containsString("/api/v1/admin/terminals/{terminalId}/rotate"))
                .body(containsString("/api/v1/pharmacies/{code}/suspend"))
                .body(containsString("/api/v1/public/pharmacies/terminated"))
                .body(containsString("/api/v1/applications/{id}/incomplete-notice"))
                .body(containsString("/api/v1/admin/calendar/years"))
                .body(containsString("/api/v1/calendar/working-days"))
                .body(containsString("/api/v1/pharmacies/{code}/key-changes"))
                .body(containsString("/api/v1/pharmacies/{code}/agreements"))
                .body(containsString("/api/v1/pharmacies/{code}/disputes"))
                .body(containsString("/api/v1/bans"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("pc_outbox_published"));
    }
}
