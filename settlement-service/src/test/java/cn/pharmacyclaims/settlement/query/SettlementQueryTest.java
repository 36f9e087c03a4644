package cn.pharmacyclaims.settlement.query;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.settlement.support.Scenario;
import cn.pharmacyclaims.settlement.support.TestKafka;
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
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The gateway's query API: the current result, only for the pharmacy that owns it (SEC-02). */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class SettlementQueryTest {

    @Inject
    Pool pool;

    private static SettlementResult get(String path, String pharmacyCode) {
        String body = given().queryParam("pharmacyCode", pharmacyCode).get(path).then().statusCode(200)
                .contentType("application/json").extract().asString();
        return Json.read(body, SettlementResult.class);
    }

    @Test
    void theOwnerReadsTheCurrentResultByIdAndByMsgId_SEC02() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "100.00");
        String item = s.item("A", false, null);
        SettlementRequest req = s.request(psn, line(1, item, "1", "12.34", 3));
        SettlementCommand cmd = s.settle(req);
        kafka.send(cmd);
        SettlementResult answered = kafka.awaitReply(cmd.commandId()).result();

        assertThat(get("/api/v1/settlements/" + answered.setlId(), s.pharmacyCode)).isEqualTo(answered);
        String raw = given().queryParam("msgId", req.msgId()).queryParam("pharmacyCode", s.pharmacyCode).get("/api/v1/settlements")
                .then().statusCode(200).body("totals.total", equalTo("12.34")).body("status", equalTo("SETTLED"))
                .extract().asString();
        assertThat(Json.read(raw, SettlementResult.class)).isEqualTo(answered);

        // another pharmacy, an unknown id: the same 404
        given().queryParam("pharmacyCode", "P000000000000").get("/api/v1/settlements/" + answered.setlId())
                .then().statusCode(404).contentType("application/problem+json");
        given().queryParam("msgId", req.msgId()).queryParam("pharmacyCode", "P000000000000").get("/api/v1/settlements")
                .then().statusCode(404);
        given().queryParam("pharmacyCode", s.pharmacyCode).get("/api/v1/settlements/S-unknown").then().statusCode(404);

        // after a cancel the current result says so
        SettlementCommand cancel = s.cancel(answered.setlId());
        kafka.send(cancel);
        kafka.awaitReply(cancel.commandId());
        assertThat(get("/api/v1/settlements/" + answered.setlId(), s.pharmacyCode).status()).isEqualTo(SettlementStatus.CANCELLED);
    }

    @Test
    void theQueryNamesMissingParameters() {
        given().get("/api/v1/settlements/S123").then().statusCode(400).body("errors.field", hasItem("pharmacyCode"));
        given().get("/api/v1/settlements").then().statusCode(400).body("errors.field", hasItem("msgId"))
                .body("errors.field", hasItem("pharmacyCode"));
    }

    @Test
    void aMsgIdReversedBeforeItArrivedReadsAsReversed_CLM15() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String msgId = s.msgId(Scenario.nowBeijing());
        SettlementCommand reverse = s.reverse(msgId);
        kafka.send(reverse);
        kafka.awaitReply(reverse.commandId());

        SettlementResult r = get("/api/v1/settlements?msgId=" + msgId, s.pharmacyCode);
        assertThat(r.status()).isEqualTo(SettlementStatus.REVERSED);
        assertThat(r.setlId()).isNull();
        assertThat(r.msgId()).isEqualTo(msgId);
    }
}
