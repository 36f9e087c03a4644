package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.gateway.api.PosRequests.PosTerminal;
import cn.pharmacyclaims.gateway.support.FakeSettlementQueryApi;
import cn.pharmacyclaims.gateway.support.TestTerminals;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistry;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The POS's GETs, forwarded to settlement's query API (here a stand-in) for the terminal's own pharmacy (SEC-02). */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(FakeSettlementQueryApi.class)
class PosQueryForwardingTest {
    @Inject
    TerminalRegistry registry;

    TestTerminals terminals;
    PosTerminal t;

    @BeforeEach
    void setUp() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        terminals = new TestTerminals(bootstrap, registry);
        t = terminals.register(PosRequests.newPharmacyCode());
    }

    @AfterEach
    void tearDown() {
        terminals.close();
    }

    @Test
    void sec02_bySetlIdIsAskedForTheTerminalsOwnPharmacy() {
        PosRequests.as(t).get("/api/v1/settlements/S-OK-1", Map.of()).then()
                .statusCode(200)
                .body("setlId", equalTo("S-OK-1"))
                .body("pharmacyCode", equalTo(t.pharmacyCode()));
    }

    @Test
    void sec02_byMsgIdIsSignedWithoutTheQueryStringAndScopedToThePharmacy() {
        String msgId = PosRequests.msgId(t.pharmacyCode());
        PosRequests.as(t).get("/api/v1/settlements", Map.of("msgId", msgId)).then()
                .statusCode(200)
                .body("msgId", equalTo(msgId))
                .body("pharmacyCode", equalTo(t.pharmacyCode()));
        PosRequests.as(t).get("/api/v1/settlements", Map.of()).then()
                .statusCode(400).body("errors[0].field", equalTo("msgId"));
    }

    @Test
    void notFoundPassesThrough() {
        PosRequests.as(t).get("/api/v1/settlements/S-MISSING-1", Map.of()).then()
                .statusCode(404).body("detail", equalTo("no settlement S-MISSING-1"));
    }

    @Test
    void anUpstreamErrorIs502AndAnUnreachableSettlementIs503() {
        PosRequests.as(t).get("/api/v1/settlements/S-BROKEN-1", Map.of()).then()
                .statusCode(502).body("code", equalTo("UPSTREAM_ERROR"));
        PosRequests.as(t).get("/api/v1/settlements/S-DOWN-1", Map.of()).then()
                .statusCode(503).header("Retry-After", equalTo("1")).body("code", equalTo("SETTLEMENT_UNAVAILABLE"));
    }

    @Test
    void sec01_getsAreSignedToo() {
        PosRequests.as(t).secret("forged").get("/api/v1/settlements/S-OK-2", Map.of()).then()
                .statusCode(401).body("code", equalTo("SIGNATURE_INVALID"));
    }
}
