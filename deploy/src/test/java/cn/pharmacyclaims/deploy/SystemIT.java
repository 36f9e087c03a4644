package cn.pharmacyclaims.deploy;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged services as separate processes, against a real broker and a real PostgreSQL
 * server, driven only through their public contracts (POS API, admin imports, Kafka topics).
 */
class SystemIT {
    static LocalStack stack;
    static PosClient pos;
    static TopicProbe topics;
    /** One insured person per test: CLM-08 would refuse the same item to the same person again. */
    static final String PSN = "44019900000000000001";
    static final String CERT = "S00000001";
    static final String REPLAY_PSN = "44019900000000000002";
    static final String SIGNED_PSN = "44019900000000000003";
    static final String ITEM = "XA0199000000001";

    @BeforeAll
    static void startTheSystem() throws Exception {
        Path root = Path.of(System.getProperty("pc.project.root", "..")).toAbsolutePath().normalize();
        Path home = Files.createTempDirectory("pharmacy-claims-system-test");
        Map<LocalStack.Service, Integer> anyPort = new LinkedHashMap<>();
        stack = LocalStack.start(new LocalStack.Options(root, home, true, 0, 0, anyPort, "256m"));
        topics = new TopicProbe(stack.bootstrapServers());

        AdminClient admin = new AdminClient("system-test", "admin");
        DemoData demo = new DemoData(DemoData.Size.named("tiny"));
        List<PosClient.Terminal> terminals = demo.load(stack, admin, home.resolve("state/terminals.csv"));
        // the test's own fixtures, through the same imports an agency uses
        String settlement = stack.url(LocalStack.Service.SETTLEMENT);
        admin.post(settlement + "/api/v1/admin/persons", List.of(person(PSN), person(REPLAY_PSN), person(SIGNED_PSN)));
        admin.post(settlement + "/api/v1/admin/catalogue", List.of(Map.of("itemCode", ITEM, "name", "Test tablets",
                "spec", "10mg*10", "class", "A", "rx", false, "paymentStandard", "20.00", "chronicDiseases", List.of())));

        PosClient.Terminal t = terminals.stream().filter(x -> x.pharmacyCode().equals(DemoData.DEMO_PHARMACY)).findFirst()
                .orElseThrow();
        pos = new PosClient(stack.url(LocalStack.Service.GATEWAY), t);
        // the gateway learns the terminal and settlement the pharmacy from Kafka: wait for both
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            PosClient.Response r = pos.post("/api/v1/settlements/preview", purchase(pos.newMsgId(), ITEM, "1", "1.00"));
            return r.status() == 200 && !r.body().contains("PHARMACY_UNKNOWN");
        });
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static Map<String, Object> person(String psnNo) {
        return Map.of("psnNo", psnNo, "certNos", List.of(CERT), "insuranceType", "EMPLOYEE", "regionCode", DemoData.DEMO_REGION,
                "status", "ACTIVE", "cardLost", false, "accountBalance", "500.00", "chronic", List.of());
    }

    static String purchase(String msgId, String item, String qty, String price) {
        return purchase(msgId, PSN, item, qty, price);
    }

    static String purchase(String msgId, String psnNo, String item, String qty, String price) {
        return DemoData.purchase(msgId, DemoData.DEMO_PHARMACY, psnNo, CERT, item, qty, price);
    }

    @Test
    void aSignedPurchaseSettlesWithTheExactSplitAndIsPublished() throws Exception {
        String msgId = pos.newMsgId();
        PosClient.Response r = pos.post("/api/v1/settlements", purchase(msgId, ITEM, "2", "12.3400"));

        assertThat(r.status()).isEqualTo(200);
        JsonNode result = Json.MAPPER.readTree(r.body());
        assertThat(result.get("status").asText()).isEqualTo("SETTLED");
        assertThat(result.get("msgId").asText()).isEqualTo(msgId);
        // CLM-10/11: 2 x 12.3400 = 24.68, class A under its payment standard, no fund benefit without Rx: all from the account
        assertThat(result.at("/totals/total").asText()).isEqualTo("24.68");
        assertThat(result.at("/totals/fundPay").asText()).isEqualTo("0.00");
        assertThat(result.at("/totals/accountPay").asText()).isEqualTo("24.68");
        assertThat(result.at("/totals/cashPay").asText()).isEqualTo("0.00");
        assertThat(result.at("/lines/0/eligible").asText()).isEqualTo("24.68");
        String setlId = result.get("setlId").asText();

        JsonNode decision = topics.await(Topics.SETTLEMENT_DECISIONS, n -> setlId.equals(n.path("setlId").asText()),
                Duration.ofSeconds(30));
        assertThat(decision.get("eventType").asText()).isEqualTo("SETTLED");
        assertThat(decision.get("psnNo").asText()).isEqualTo(PSN);
        assertThat(decision.get("pharmacyCode").asText()).isEqualTo(DemoData.DEMO_PHARMACY);
        assertThat(decision.at("/lines/0/itemCode").asText()).isEqualTo(ITEM);

        PosClient.Response byId = pos.get("/api/v1/settlements/" + setlId);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(byId.body()).at("/totals/accountPay").asText()).isEqualTo("24.68");
    }

    @Test
    void aReplayedMsgIdReturnsTheOriginalResultAndSettlesNothingNew() throws Exception {
        String msgId = pos.newMsgId();
        String body = purchase(msgId, REPLAY_PSN, ITEM, "1", "3.00");
        PosClient.Response first = pos.post("/api/v1/settlements", body);
        PosClient.Response again = pos.post("/api/v1/settlements", body);

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        JsonNode a = Json.MAPPER.readTree(first.body());
        JsonNode b = Json.MAPPER.readTree(again.body());
        assertThat(a.get("status").asText()).isEqualTo("SETTLED");
        assertThat(b).isEqualTo(a); // CLM-01: the original result, same setlId, same balance after
        List<JsonNode> decisions = topics.collect(Topics.SETTLEMENT_DECISIONS,
                n -> msgId.equals(n.path("msgId").asText()), 2, Duration.ofSeconds(8));
        assertThat(decisions).hasSize(1);

        PosClient.Response conflict = pos.post("/api/v1/settlements", purchase(msgId, REPLAY_PSN, ITEM, "2", "3.00"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body()).contains("DUPLICATE_MSG_ID_CONFLICT");
    }

    @Test
    void aNonMedicalItemIsRejectedAndRaisesAnAud01Alert() throws Exception {
        String msgId = pos.newMsgId();
        PosClient.Response r = pos.post("/api/v1/settlements", purchase(msgId, DemoData.ITEM_NON_MEDICAL, "1", "99.00"));

        assertThat(r.status()).isEqualTo(200);
        JsonNode result = Json.MAPPER.readTree(r.body());
        assertThat(result.get("status").asText()).isEqualTo("REJECTED");
        assertThat(result.at("/rejects/0/code").asText()).isEqualTo("NON_MEDICAL_ITEM");
        assertThat(result.get("totals").isNull()).isTrue();

        JsonNode alert = topics.await(Topics.VIOLATION_ALERTS,
                n -> "AUD-01".equals(n.path("ruleId").asText()) && n.path("settlements").toString().contains(msgId),
                Duration.ofSeconds(30));
        assertThat(alert.get("severity").asText()).isEqualTo("CLEAR_VIOLATION");
        assertThat(alert.get("behaviourType").asText()).isEqualTo("NON_MEDICAL_GOODS");
        assertThat(alert.at("/subject/pharmacyCode").asText()).isEqualTo(DemoData.DEMO_PHARMACY);
        assertThat(alert.at("/subject/psnNo").asText()).isEqualTo(PSN);
        assertThat(alert.get("schemaVersion").asInt()).isEqualTo(1);
        for (String field : List.of("alertId", "ruleName", "regionCode", "amount", "evidence", "windowStart", "windowEnd", "detectedAt")) {
            assertThat(alert.has(field)).as(field).isTrue();
        }
        assertThat(alert.toString()).doesNotContain(CERT); // AUD-23: no identity numbers
    }

    @Test
    void aBadSignatureIsRefusedBeforeKafka() throws Exception {
        long before = topics.endOffsetSum(Topics.SETTLEMENT_REQUESTS);
        String body = purchase(pos.newMsgId(), SIGNED_PSN, ITEM, "1", "1.00");
        PosClient.Response r = pos.send("POST", "/api/v1/settlements", body, UUID.randomUUID().toString(), PosClient.now(),
                "bm90IGEgc2lnbmF0dXJl");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("SIGNATURE_INVALID");

        String nonce = UUID.randomUUID().toString();
        String ts = PosClient.now();
        String good = purchase(pos.newMsgId(), SIGNED_PSN, ITEM, "1", "1.00");
        assertThat(pos.send("POST", "/api/v1/settlements", good, nonce, ts, null).status()).isEqualTo(200);
        long afterFirst = topics.endOffsetSum(Topics.SETTLEMENT_REQUESTS);
        PosClient.Response replayed = pos.send("POST", "/api/v1/settlements", good, nonce, ts, null);
        assertThat(replayed.status()).isEqualTo(401); // SEC-01: nonce seen

        assertThat(afterFirst).isEqualTo(before + 1); // only the good request reached Kafka
        assertThat(topics.endOffsetSum(Topics.SETTLEMENT_REQUESTS)).isEqualTo(afterFirst);
    }
}
