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
    static List<PosClient.Terminal> terminals;
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
        terminals = demo.load(stack, admin, home.resolve("state/terminals.csv"));
        // the test's own fixtures, through the same imports an agency uses
        String settlement = stack.url(LocalStack.Service.SETTLEMENT);
        admin.post(settlement + "/api/v1/admin/persons", List.of(person(PSN), person(REPLAY_PSN), person(SIGNED_PSN)));
        admin.post(settlement + "/api/v1/admin/catalogue", List.of(Map.of("itemCode", ITEM, "name", "Test tablets",
                "spec", "10mg*10", "class", "A", "rx", false, "paymentStandard", "20.00", "chronicDiseases", List.of())));

        PosClient.Terminal t = terminals.stream().filter(x -> x.pharmacyCode().equals(DemoData.DEMO_PHARMACY)).findFirst()
                .orElseThrow();
        pos = new PosClient(stack.url(LocalStack.Service.GATEWAY), t);
        // the gateway learns the terminal and settlement the pharmacy from Kafka: wait for both
        for (PosClient.Terminal each : terminals) {
            PosClient p = new PosClient(stack.url(LocalStack.Service.GATEWAY), each);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                PosClient.Response r = p.post("/api/v1/settlements/preview",
                        DemoData.purchase(p.newMsgId(), each.pharmacyCode(), PSN, CERT, ITEM, "1", "1.00"));
                return r.status() == 200 && !r.body().contains("PHARMACY_UNKNOWN");
            });
        }
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

    @Test
    void aSuspensionReachesTheCounterWithinASecondThroughTheStatusTopic() throws Exception {
        PosClient.Terminal t = terminals.get(terminals.size() - 1); // a pharmacy no other scenario uses
        PosClient counter = new PosClient(stack.url(LocalStack.Service.GATEWAY), t);
        PosClient.Response before = counter.post("/api/v1/settlements",
                DemoData.purchase(counter.newMsgId(), t.pharmacyCode(), PSN, CERT, DemoData.ITEM_VITAMIN_C, "1", "5.00"));
        assertThat(Json.MAPPER.readTree(before.body()).get("status").asText()).isEqualTo("SETTLED");

        AdminClient officer = new AdminClient("officer-1", "agency-officer");
        officer.post(stack.url(LocalStack.Service.AGREEMENT) + "/api/v1/pharmacies/" + t.pharmacyCode() + "/suspend",
                Map.of("reason", "system test: failed to provide data (AGR-07)", "requestedByPharmacy", false));
        long suspendedAt = System.nanoTime();

        // AGR-11 / CLM-02: settlement learns it from agreement.pharmacy-status, never by a synchronous call.
        // Probes go one after another; what counts is when the first rejected one was sent.
        JsonNode rejected = null;
        long sentAfterMillis = -1;
        while (rejected == null && System.nanoTime() - suspendedAt < Duration.ofSeconds(5).toNanos()) {
            long sent = System.nanoTime();
            PosClient.Response r = counter.post("/api/v1/settlements",
                    DemoData.purchase(counter.newMsgId(), t.pharmacyCode(), REPLAY_PSN, CERT, DemoData.ITEM_VITAMIN_C, "1", "5.00"));
            JsonNode n = Json.MAPPER.readTree(r.body());
            if ("REJECTED".equals(n.path("status").asText())) {
                rejected = n;
                sentAfterMillis = Duration.ofNanos(sent - suspendedAt).toMillis();
            } else {
                Thread.sleep(20);
            }
        }
        assertThat(rejected).as("a purchase rejected after the suspension").isNotNull();
        assertThat(rejected.at("/rejects/0/code").asText()).isEqualTo("AGREEMENT_NOT_ACTIVE");
        assertThat(sentAfterMillis).as("ms from the suspension to the first purchase it rejected").isLessThanOrEqualTo(1000);

        JsonNode alert = topics.await(Topics.VIOLATION_ALERTS, n -> "AUD-13".equals(n.path("ruleId").asText())
                && t.pharmacyCode().equals(n.at("/subject/pharmacyCode").asText()), Duration.ofSeconds(30));
        assertThat(alert.get("behaviourType").asText()).isEqualTo("SUSPENDED_SETTLEMENT");
    }

    @Test
    void settlementKilledMidStreamLosesNothingAndSettlesNothingTwice() throws Exception {
        // 40 purchases by 40 demo persons over 4 pharmacies, the settlement service SIGKILLed while they are in flight
        List<PosClient> counters = terminals.subList(1, 5).stream()
                .map(t -> new PosClient(stack.url(LocalStack.Service.GATEWAY), t)).toList();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(40);
        List<String> msgIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<java.util.concurrent.Future<PosClient.Response>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PosClient c = counters.get(i % counters.size());
            int person = 10 + i;
            String msgId = c.newMsgId();
            msgIds.add(msgId);
            String body = DemoData.purchase(msgId, c.terminal().pharmacyCode(), DemoData.psnNo(person), DemoData.certNo(person),
                    DemoData.ITEM_COLD_REMEDY, "1", "18.00");
            answers.add(pool.submit(() -> c.post("/api/v1/settlements", body)));
            if (i == 15) {
                pool.submit(() -> stack.crashAndRestart(LocalStack.Service.SETTLEMENT));
            }
        }
        java.util.Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
        for (var f : answers) {
            byStatus.merge(f.get(120, java.util.concurrent.TimeUnit.SECONDS).status(), 1, Integer::sum);
        }
        pool.shutdown();
        assertThat(byStatus.keySet()).as("HTTP statuses " + byStatus).isSubsetOf(200, 202);

        // every purchase ends settled exactly once: the POS that got 202 finds it by polling
        for (int i = 0; i < msgIds.size(); i++) {
            PosClient c = counters.get(i % counters.size());
            String msgId = msgIds.get(i);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                PosClient.Response r = c.get("/api/v1/settlements?msgId=" + msgId);
                return r.status() == 200 && r.body().contains("\"SETTLED\"");
            });
        }
        try (var db = java.sql.DriverManager.getConnection(stack.postgres().jdbcUrl("settlement"), stack.postgres().user(),
                stack.postgres().password());
             var q = db.prepareStatement("SELECT msg_id, count(*) FROM settlement WHERE msg_id = ANY (?) GROUP BY msg_id")) {
            q.setArray(1, db.createArrayOf("text", msgIds.toArray()));
            var rs = q.executeQuery();
            int rows = 0;
            while (rs.next()) {
                assertThat(rs.getInt(2)).as("settlements for " + rs.getString(1)).isEqualTo(1);
                rows++;
            }
            assertThat(rows).isEqualTo(msgIds.size());
        }
        // no lost decision: each settlement published (at least once; copies share the eventId consumers dedupe on)
        List<JsonNode> decisions = topics.collect(Topics.SETTLEMENT_DECISIONS, n -> msgIds.contains(n.path("msgId").asText()),
                msgIds.size(), Duration.ofSeconds(60));
        java.util.Map<String, java.util.Set<String>> eventIds = new java.util.HashMap<>();
        decisions.forEach(d -> eventIds.computeIfAbsent(d.get("msgId").asText(), k -> new java.util.HashSet<>())
                .add(d.get("eventId").asText()));
        assertThat(eventIds.keySet()).containsExactlyInAnyOrderElementsOf(msgIds);
        assertThat(eventIds.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    }
}
