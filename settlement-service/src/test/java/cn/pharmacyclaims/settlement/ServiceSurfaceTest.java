package cn.pharmacyclaims.settlement;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.settlement.support.Scenario;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** What operators and the other services see of the service: OpenAPI, metrics. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class ServiceSurfaceTest {

    @Inject
    Pool pool;

    @Test
    void openApiDocumentsTheEndpoints() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/admin/catalogue"))
                .body(containsString("/api/v1/admin/persons"))
                .body(containsString("/api/v1/admin/institutions"))
                .body(containsString("/api/v1/admin/policies"))
                .body(containsString("/api/v1/admin/prescriptions"))
                .body(containsString("/api/v1/settlements/{setlId}"));
    }

    @Test
    void adjudicationIsTimedByOutcome() {
        Scenario s = Scenario.ready(pool);
        String psn = s.person("EMPLOYEE", "10.00");
        SettlementCommand preview = s.preview(s.request(psn, line(1, s.item("A", false, null), "1", "1.00", 1)));
        s.kafka().send(preview);
        s.kafka().awaitReply(preview.commandId());

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pc_settlement_adjudication_seconds_count{command=\"PREVIEW\",outcome=\"accepted\""));
    }
}
