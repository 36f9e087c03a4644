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
import static org.assertj.core.api.Assertions.assertThat;
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

    /** One CLM-13 preview through Kafka, answered. */
    private void previewAnswered() {
        Scenario s = Scenario.ready(pool);
        String psn = s.person("EMPLOYEE", "10.00");
        SettlementCommand preview = s.preview(s.request(psn, line(1, s.item("A", false, null), "1", "1.00", 1)));
        s.kafka().send(preview);
        s.kafka().awaitReply(preview.commandId());
    }

    @Test
    void adjudicationIsTimedByOutcome() {
        previewAnswered();

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pc_settlement_adjudication_seconds_count{command=\"PREVIEW\",outcome=\"accepted\""));
    }

    /** Where a command's time goes in the service (docs/performance.md, step 30): its wait for a batch, the batch, the group commit. */
    @Test
    void theWaitForABatchTheBatchAndTheGroupCommitAreTimed() {
        previewAnswered();

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        // every command passes through a batch, so these counted at least this one
        assertThat(count(metrics, "pc_settlement_command_queued_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(count(metrics, "pc_settlement_batch_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(count(metrics, "pc_settlement_batch_size_count")).isGreaterThanOrEqualTo(1);
        // a group needs two persons' SETTLEs in one poll: published from the start, counted when one happens
        assertThat(metrics).contains("pc_settlement_group_seconds_count").contains("pc_settlement_group_size_count");
    }

    private static double count(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElse(-1);
    }
}
