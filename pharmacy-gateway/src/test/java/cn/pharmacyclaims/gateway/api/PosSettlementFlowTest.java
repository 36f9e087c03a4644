package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.gateway.api.PosRequests.PosTerminal;
import cn.pharmacyclaims.gateway.config.InstanceId;
import cn.pharmacyclaims.gateway.reply.PendingReplies;
import cn.pharmacyclaims.gateway.support.FakeSettlement;
import cn.pharmacyclaims.gateway.support.FakeSettlementQueryApi;
import cn.pharmacyclaims.gateway.support.TestTerminals;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistry;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** The request-reply path over the real broker, with a fake settlement answering on gateway.replies. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(FakeSettlementQueryApi.class)
class PosSettlementFlowTest {
    @Inject
    TerminalRegistry registry;
    @Inject
    InstanceId instanceId;
    @Inject
    PendingReplies pending;

    FakeSettlement settlement;
    TestTerminals terminals;

    @BeforeEach
    void setUp() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        settlement = new FakeSettlement(bootstrap);
        terminals = new TestTerminals(bootstrap, registry);
    }

    @AfterEach
    void tearDown() {
        settlement.close();
        terminals.close();
    }

    static SettlementResult settled(String msgId) {
        BigDecimal zero = new BigDecimal("0.00");
        return new SettlementResult("S-" + msgId, msgId, SettlementStatus.SETTLED,
                new SettlementResult.Totals(new BigDecimal("24.68"), zero, zero, zero, zero, new BigDecimal("24.68"), zero),
                List.of(new SettlementResult.LineResult(1, new BigDecimal("24.68"), zero, zero, zero, new BigDecimal("24.68"),
                        zero, SettlementResult.Benefit.NONE, new BigDecimal("24.68"), zero)),
                new BigDecimal("975.32"), List.of(), OffsetDateTime.now());
    }

    @Test
    void sec01_aSignedSettlementIsProducedKeyedByPsnNoAndAnsweredWithTheReply() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String msgId = PosRequests.msgId(t.pharmacyCode());
        String body = PosRequests.settlementBody(msgId, t.pharmacyCode(), "44010000000000123456");
        settlement.answer(msgId, c -> new SettlementReply(c.commandId(), c.replyTo(), SettlementReply.Outcome.RESULT,
                settled(msgId), null));

        PosRequests.as(t).post("/api/v1/settlements", body).then()
                .statusCode(200)
                .contentType("application/json")
                .body("status", org.hamcrest.Matchers.equalTo("SETTLED"))
                .body("msgId", org.hamcrest.Matchers.equalTo(msgId))
                .body("totals.total", org.hamcrest.Matchers.equalTo("24.68"))
                .body("accountBalanceAfter", org.hamcrest.Matchers.equalTo("975.32"));

        FakeSettlement.Received got = settlement.received(msgId);
        assertThat(got.key()).isEqualTo("44010000000000123456");
        assertThat(got.command().type()).isEqualTo(CommandType.SETTLE);
        assertThat(got.command().replyTo()).isEqualTo(instanceId.value());
        assertThat(got.command().terminalId()).isEqualTo(t.terminalId());
        assertThat(got.command().bodyHash()).isEqualTo(PosSignature.sha256Hex(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(got.command().settlement().lines().get(0).unitPrice()).isEqualTo(new BigDecimal("12.3400"));
        assertThat(pending.size()).isZero();
    }

    @Test
    void aReplyThatNeverComesIs202PendingWithALocationToPoll() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String msgId = PosRequests.msgId(t.pharmacyCode());

        Response r = PosRequests.as(t).post("/api/v1/settlements", PosRequests.settlementBody(msgId, t.pharmacyCode(), "PSN-202"));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.header("Location")).isEqualTo("/api/v1/settlements?msgId=" + msgId);
        assertThat(r.jsonPath().getString("status")).isEqualTo("PENDING");
        assertThat(r.jsonPath().getString("msgId")).isEqualTo(msgId);
        assertThat(settlement.received(msgId)).isNotNull();   // it did reach settlement
        assertThat(pending.size()).isZero();                   // and the waiter was removed
    }

    @Test
    void repliesAddressedToAnotherInstanceAreIgnored() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String msgId = PosRequests.msgId(t.pharmacyCode());
        settlement.answer(msgId, c -> new SettlementReply(c.commandId(), "another-gateway-instance",
                SettlementReply.Outcome.RESULT, settled(msgId), null));

        PosRequests.as(t).post("/api/v1/settlements", PosRequests.settlementBody(msgId, t.pharmacyCode(), "PSN-X"))
                .then().statusCode(202);
    }

    @Test
    void concurrentCallsEachGetTheirOwnReplyAmongRepliesForOtherInstances() throws Exception {
        settlement.withDecoys();
        List<PosTerminal> ts = List.of(terminals.register(PosRequests.newPharmacyCode()),
                terminals.register(PosRequests.newPharmacyCode()), terminals.register(PosRequests.newPharmacyCode()));
        List<String> msgIds = new java.util.ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Response>> calls = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            for (int i = 0; i < 12; i++) {
                PosTerminal t = ts.get(i % ts.size());
                String msgId = PosRequests.msgId(t.pharmacyCode());
                msgIds.add(msgId);
                settlement.answer(msgId, c -> new SettlementReply(c.commandId(), c.replyTo(), SettlementReply.Outcome.RESULT,
                        settled(msgId), null));
                String body = PosRequests.settlementBody(msgId, t.pharmacyCode(), "PSN-C" + i);
                calls.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> PosRequests.as(t).post("/api/v1/settlements", body), pool));
            }
            for (int i = 0; i < calls.size(); i++) {
                Response r = calls.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.jsonPath().getString("msgId")).isEqualTo(msgIds.get(i));
                assertThat(r.jsonPath().getString("setlId")).isEqualTo("S-" + msgIds.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(pending.size()).isZero();
    }

    @Test
    void clm01_sameMsgIdWithAnotherBodyIs409() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String msgId = PosRequests.msgId(t.pharmacyCode());
        settlement.answer(msgId, c -> new SettlementReply(c.commandId(), c.replyTo(), SettlementReply.Outcome.CONFLICT,
                null, "msgId already used with another body"));

        PosRequests.as(t).post("/api/v1/settlements", PosRequests.settlementBody(msgId, t.pharmacyCode(), "PSN-409"))
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("DUPLICATE_MSG_ID_CONFLICT"));
    }

    @Test
    void clm13_previewIsAPreviewCommandAnsweredWith200() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String msgId = PosRequests.msgId(t.pharmacyCode());
        settlement.answer(msgId, c -> {
            SettlementResult s = settled(msgId);
            return new SettlementReply(c.commandId(), c.replyTo(), SettlementReply.Outcome.RESULT,
                    new SettlementResult(null, msgId, SettlementStatus.PREVIEWED, s.totals(), s.lines(),
                            s.accountBalanceAfter(), List.of(), null), null);
        });

        PosRequests.as(t).post("/api/v1/settlements/preview", PosRequests.settlementBody(msgId, t.pharmacyCode(), "PSN-P"))
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("PREVIEWED"));
        assertThat(settlement.received(msgId).command().type()).isEqualTo(CommandType.PREVIEW);
    }

    @Test
    void clm14_cancelActsForTheTerminalsPharmacyKeyedBySetlId() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String setlId = "S-" + t.terminalId();
        String cancelMsgId = PosRequests.msgId(t.pharmacyCode());
        settlement.answer(setlId, c -> new SettlementReply(c.commandId(), c.replyTo(), SettlementReply.Outcome.NOT_FOUND,
                null, "no settlement " + setlId));

        PosRequests.as(t).post("/api/v1/settlements/" + setlId + "/cancel",
                        "{\"msgId\":\"" + cancelMsgId + "\",\"operatorId\":\"op-1\"}")
                .then().statusCode(404).body("detail", containsString(setlId));

        FakeSettlement.Received got = settlement.received(setlId);
        assertThat(got.key()).isEqualTo(setlId);
        assertThat(got.command().cancel().pharmacyCode()).isEqualTo(t.pharmacyCode());
        assertThat(got.command().cancel().msgId()).isEqualTo(cancelMsgId);
        assertThat(got.command().cancel().operatorId()).isEqualTo("op-1");
    }

    @Test
    void clm14_aCancelWithoutBodyIsAccepted() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String setlId = "S-nobody-" + t.terminalId();
        settlement.answer(setlId, c -> new SettlementReply(c.commandId(), c.replyTo(), SettlementReply.Outcome.RESULT,
                new SettlementResult(setlId, "m", SettlementStatus.CANCELLED, null, List.of(), null, List.of(), null), null));

        PosRequests.as(t).contentType(null).post("/api/v1/settlements/" + setlId + "/cancel", new byte[0])
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("CANCELLED"));
    }

    @Test
    void clm15_reversalIsKeyedByTheOriginalMsgIdAndMayOnlyTargetTheTerminalsPharmacy() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String original = PosRequests.msgId(t.pharmacyCode());
        String reversal = PosRequests.msgId(t.pharmacyCode());
        settlement.answer(original, c -> {
            SettlementResult s = settled(original);
            return new SettlementReply(c.commandId(), c.replyTo(), SettlementReply.Outcome.RESULT,
                    new SettlementResult(s.setlId(), original, SettlementStatus.REVERSED, s.totals(), s.lines(),
                            s.accountBalanceAfter(), List.of(), s.settledAt()), null);
        });

        PosRequests.as(t).post("/api/v1/reversals", "{\"msgId\":\"" + reversal + "\",\"originalMsgId\":\"" + original + "\"}")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("REVERSED"));
        FakeSettlement.Received got = settlement.received(original);
        assertThat(got.key()).isEqualTo(original);
        assertThat(got.command().reversal().msgId()).isEqualTo(reversal);

        long before = settlement.produced();
        String foreign = PosRequests.msgId(PosRequests.newPharmacyCode());
        PosRequests.as(t).post("/api/v1/reversals", "{\"msgId\":\"" + reversal + "1\",\"originalMsgId\":\"" + foreign + "\"}")
                .then().statusCode(403).body("code", org.hamcrest.Matchers.equalTo("TERMINAL_PHARMACY_MISMATCH"));
        assertThat(settlement.produced()).isEqualTo(before);
    }

    @Test
    void metricsAndOpenApiDescribeTheDoor() {
        PosTerminal t = terminals.register(PosRequests.newPharmacyCode());
        String msgId = PosRequests.msgId(t.pharmacyCode());
        settlement.answer(msgId, c -> new SettlementReply(c.commandId(), c.replyTo(), SettlementReply.Outcome.RESULT,
                settled(msgId), null));
        PosRequests.as(t).post("/api/v1/settlements", PosRequests.settlementBody(msgId, t.pharmacyCode(), "PSN-M"))
                .then().statusCode(200);
        PosRequests.as(t).secret("forged").post("/api/v1/settlements", PosRequests.settlementBody(msgId, t.pharmacyCode(), "PSN-M"))
                .then().statusCode(401);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("pc_gateway_requests_seconds_bucket{")
                .containsPattern("pc_gateway_requests_seconds_count\\{[^}]*operation=\"settle\"[^}]*outcome=\"settled\"")
                .containsPattern("pc_gateway_refusals_total\\{[^}]*reason=\"bad_signature\"");

        String openapi = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertThat(openapi).contains("\"operationId\" : \"settle\"", "\"operationId\" : \"preview\"",
                "\"operationId\" : \"cancel\"", "\"operationId\" : \"reverse\"", "\"operationId\" : \"bySetlId\"",
                "\"operationId\" : \"byMsgId\"", "X-Signature", "X-Nonce");
    }
}
