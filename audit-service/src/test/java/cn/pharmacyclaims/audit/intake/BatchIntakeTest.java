package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.Ids;
import cn.pharmacyclaims.audit.KafkaIO;
import cn.pharmacyclaims.audit.pharmacy.PharmacyStore;
import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.audit.rules.Fixtures;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.ViolationAlert;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batch intake (one transaction per poll) against the real broker and database: it gives the
 * outcome of applying the decisions one transaction each, raises each alert once whatever is
 * redelivered, and a decision that cannot be applied holds back only itself.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
class BatchIntakeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;
    @Inject
    PharmacyStore pharmacies;
    @Inject
    DecisionBatchProcessor batches;
    @Inject
    DecisionProcessor single;

    // ---- same outcome as one decision per transaction --------------------------------------------

    @Test
    void aud02to09_aBatchOf500Decisions_givesTheAlertsAndStateOfOneByOne() {
        OffsetDateTime day = LocalDate.now(Beijing.ZONE).minusDays(1).atStartOfDay(Beijing.ZONE).toOffsetDateTime();
        long seed = Long.getLong("audit.script.seed", ThreadLocalRandom.current().nextLong()); // printed below, to replay
        DecisionScript oneByOne = script(day, seed);
        DecisionScript oneBatch = script(day, seed);
        DecisionScript polls = script(day, seed);

        List<SettlementDecision> a = oneByOne.decisions();
        long t0 = System.nanoTime();
        for (SettlementDecision d : a) {
            single.process(d).await().indefinitely();
        }
        long singleNanos = System.nanoTime() - t0;

        List<SettlementDecision> b = oneBatch.decisions();
        assertThat(b.size()).isGreaterThanOrEqualTo(500);
        t0 = System.nanoTime();
        batches.processBatch(b).await().indefinitely();
        long batchNanos = System.nanoTime() - t0;

        List<SettlementDecision> c = polls.decisions();
        Random sizes = new Random(seed);
        t0 = System.nanoTime();
        for (int i = 0; i < c.size(); ) {
            int n = 1 + sizes.nextInt(120);
            batches.processBatch(c.subList(i, Math.min(c.size(), i + n))).await().indefinitely();
            i += n;
        }
        long pollsNanos = System.nanoTime() - t0;
        // a measurement, not an assertion (the machine is shared)
        System.out.printf("[batch-intake] %d decisions (seed %d): one per transaction %.2f ms/decision, one batch %.3f ms/decision,"
                        + " polls of 1..120 %.3f ms/decision%n", a.size(), seed, singleNanos / 1e6 / a.size(),
                batchNanos / 1e6 / b.size(), pollsNanos / 1e6 / c.size());

        Snapshot expected = snapshot(oneByOne.prefix());
        // the script holds every pattern the windows serve, so the comparison below is not vacuous
        assertThat(expected.rules()).contains("AUD-01", "AUD-02", "AUD-03", "AUD-05", "AUD-06", "AUD-07", "AUD-08", "AUD-09",
                "AUD-12", "AUD-13", "AUD-14");
        assertThat(expected.alerts()).anyMatch(s -> s.startsWith("AUD-08") && s.contains("seen=")
                && !s.contains("seen=1|"));
        assertSame(snapshot(oneBatch.prefix()), expected, "one batch, seed " + seed);
        assertSame(snapshot(polls.prefix()), expected, "polls of 1..120, seed " + seed);
    }

    private static void assertSame(Snapshot actual, Snapshot expected, String what) {
        assertSameRows(actual.alerts(), expected.alerts(), "alerts, " + what);
        assertSameRows(actual.published(), expected.published(), "published alerts, " + what);
        assertSameRows(actual.windows(), expected.windows(), "recent_settlement, " + what);
        assertSameRows(actual.counts(), expected.counts(), "pharmacy_daily_count, " + what);
        assertThat(actual.processed()).as("processed messages, " + what).isEqualTo(expected.processed());
    }

    /** Only the differing rows in the message: the snapshots are long. */
    private static void assertSameRows(List<String> actual, List<String> expected, String what) {
        List<String> missing = new ArrayList<>(expected);
        actual.forEach(missing::remove);
        List<String> unexpected = new ArrayList<>(actual);
        expected.forEach(unexpected::remove);
        assertThat(missing).as(what + ": rows of one decision per transaction that the batch did not give").isEmpty();
        assertThat(unexpected).as(what + ": rows the batch gave that one decision per transaction did not").isEmpty();
    }

    // ---- duplicates and redeliveries -----------------------------------------------------------

    @Test
    void aud01_duplicatesInsideTheBatchAndRedeliveredEvents_raiseEachAlertOnce() {
        String pharmacy = Ids.pharmacy();
        List<SettlementDecision> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            first.add(nonMedical(Ids.psn(), pharmacy, Ids.yesterdayAt(9, i)));
        }
        List<SettlementDecision> batch = new ArrayList<>(first);
        batch.add(first.get(3)); // the same event twice in one poll
        batch.add(2, first.get(7));

        List<ViolationAlert> raised = batches.processBatch(batch).await().indefinitely();
        assertThat(raised).hasSize(10).allMatch(a -> a.ruleId().equals("AUD-01"));
        assertThat(raised).extracting(a -> a.settlements().get(0).msgId())
                .containsExactlyInAnyOrderElementsOf(first.stream().map(SettlementDecision::msgId).toList());

        // redelivered after the commit (e.g. a rebalance before the offsets were committed), mixed with new events
        List<SettlementDecision> later = new ArrayList<>(first.subList(0, 5));
        SettlementDecision fresh = nonMedical(Ids.psn(), pharmacy, Ids.yesterdayAt(9, 30));
        later.add(fresh);
        later.add(fresh);
        List<ViolationAlert> again = batches.processBatch(later).await().indefinitely();
        assertThat(again).singleElement().satisfies(a -> assertThat(a.settlements().get(0).msgId()).isEqualTo(fresh.msgId()));

        assertThat(count("SELECT count(*) FROM alert WHERE pharmacy_code = $1", pharmacy)).isEqualTo(11);
        assertThat(count("SELECT max(seen_count) FROM alert WHERE pharmacy_code = $1", pharmacy)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM processed_message WHERE consumer = 'audit-decisions' AND message_id = ANY($1)",
                (Object) later.stream().map(SettlementDecision::eventId).distinct().toArray(String[]::new))).isEqualTo(6);
        // all on the topic, once each
        await().atMost(WAIT).until(() -> KafkaIO.alerts(n -> pharmacy.equals(n.path("subject").path("pharmacyCode").asText(null))),
                l -> l.size() >= 11);
        assertThat(KafkaIO.alerts(n -> pharmacy.equals(n.path("subject").path("pharmacyCode").asText(null)))).hasSize(11);
    }

    @Test
    void aud01_aBurstOnTheBroker_isConsumedInBatches_eachAlertOnceInTheDocumentedShape() throws Exception {
        String pharmacy = Ids.pharmacy();
        List<SettlementDecision> sent = new ArrayList<>();
        List<String> nonMedicalMsgIds = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String psn = "it-b" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            SettlementDecision d;
            if (i % 10 == 0) {
                d = nonMedical(psn, pharmacy, Ids.yesterdayAt(10, 0).plusSeconds(i));
                nonMedicalMsgIds.add(d.msgId());
            } else {
                d = Fixtures.settled(Fixtures.setl(), psn, pharmacy, Ids.terminal(), Ids.yesterdayAt(10, 0).plusSeconds(i), "23.45");
            }
            sent.add(d);
        }
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (SettlementDecision d : sent) {
            acks.add(KafkaIO.producer().send(new ProducerRecord<>(Topics.SETTLEMENT_DECISIONS, d.psnNo(), Json.write(d))));
            if (d.msgId().equals(nonMedicalMsgIds.get(0)) || sent.indexOf(d) % 50 == 0) {
                // redeliveries, as a producer retry or a replay would cause
                acks.add(KafkaIO.producer().send(new ProducerRecord<>(Topics.SETTLEMENT_DECISIONS, d.psnNo(), Json.write(d))));
            }
        }
        for (java.util.concurrent.Future<?> f : acks) {
            f.get();
        }
        String[] eventIds = sent.stream().map(SettlementDecision::eventId).toArray(String[]::new);
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM processed_message WHERE consumer = 'audit-decisions'"
                + " AND message_id = ANY($1)", (Object) eventIds) == sent.size());

        List<ConsumerRecord<String, String>> records = await().atMost(WAIT).until(
                () -> KafkaIO.alerts(n -> pharmacy.equals(n.path("subject").path("pharmacyCode").asText(null))
                        && "AUD-01".equals(n.path("ruleId").asText())),
                l -> l.size() >= nonMedicalMsgIds.size());
        assertThat(records).hasSize(nonMedicalMsgIds.size());
        assertThat(records).extracting(r -> KafkaIO.tree(r.value()).at("/settlements/0/msgId").asText())
                .containsExactlyInAnyOrderElementsOf(nonMedicalMsgIds);
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.key()).isEqualTo(pharmacy);
            JsonNode a = KafkaIO.tree(r.value());
            Set<String> names = new HashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyInAnyOrder("alertId", "ruleId", "ruleName", "severity", "behaviourType", "subject",
                    "regionCode", "amount", "settlements", "evidence", "windowStart", "windowEnd", "detectedAt", "schemaVersion");
            assertThat(a.get("amount").asText()).isEqualTo("19.90");
            assertThat(a.get("windowStart").asText()).endsWith("+08:00");
            assertThat(a.get("schemaVersion").asInt()).isEqualTo(ViolationAlert.SCHEMA_VERSION);
        }
        // the settled ones entered the windows, once each
        assertThat(count("SELECT count(*) FROM recent_settlement WHERE pharmacy_code = $1", pharmacy)).isEqualTo(270);
        assertThat(count("SELECT sum(settled) FROM pharmacy_daily_count WHERE pharmacy_code = $1", pharmacy)).isEqualTo(270);
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("pc_audit_decision_batch_size_count(\\{[^}]*\\})? [1-9]");
    }

    // ---- a decision that cannot be applied -------------------------------------------------------

    @Test
    void aDecisionTheDatabaseRefuses_fallsBackToOneByOne_theRestIsApplied() {
        String pharmacy = Ids.pharmacy();
        List<SettlementDecision> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(Fixtures.settled(Fixtures.setl(), Ids.psn(), pharmacy, "T-1", Ids.yesterdayAt(8, i), "12.00"));
        }
        // a total beyond NUMERIC(14,2): the database refuses it, again and again
        SettlementDecision refused = Fixtures.settled(Fixtures.setl(), Ids.psn(), pharmacy, "T-1", Ids.yesterdayAt(8, 10),
                "1000000000000000.00");
        batch.add(3, refused);
        SettlementDecision alerting = nonMedical(Ids.psn(), pharmacy, Ids.yesterdayAt(8, 20));
        batch.add(alerting);

        Throwable failure = batches.processBatch(batch).onItem().<Throwable>transform(x -> null)
                .onFailure().recoverWithItem(e -> e).await().indefinitely();

        // the batch fails on it and is held, as a decision that keeps failing always was (nothing is skipped silently)...
        assertThat(failure).isNotNull().hasMessageContaining("1 of 8 decisions");
        // ...but every other decision of the batch was applied, in its own transaction
        assertThat(count("SELECT count(*) FROM recent_settlement WHERE pharmacy_code = $1", pharmacy)).isEqualTo(6);
        assertThat(count("SELECT count(*) FROM processed_message WHERE consumer = 'audit-decisions' AND message_id = ANY($1)",
                (Object) batch.stream().map(SettlementDecision::eventId).toArray(String[]::new))).isEqualTo(7);
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id = $1", refused.eventId())).isZero();
        assertThat(count("SELECT count(*) FROM alert a JOIN alert_settlement s USING (alert_id) WHERE s.msg_id = $1",
                alerting.msgId())).isEqualTo(1);
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("pc_audit_decisions_batch_fallback_total(\\{[^}]*\\})? [1-9]")
                .containsPattern("pc_audit_decisions_failed_total(\\{[^}]*\\})? [1-9]");

        // once the bad decision is gone, its redelivered neighbours change nothing
        batch.remove(refused);
        assertThat(batches.processBatch(batch).await().indefinitely()).isEmpty();
        assertThat(count("SELECT count(*) FROM recent_settlement WHERE pharmacy_code = $1", pharmacy)).isEqualTo(6);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private DecisionScript script(OffsetDateTime day, long seed) {
        String prefix = "q" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        DecisionScript s = new DecisionScript(prefix, day, seed);
        s.pharmacies().forEach(p -> pharmacies.apply(p).await().indefinitely());
        return s;
    }

    private static SettlementDecision nonMedical(String psn, String pharmacy, OffsetDateTime at) {
        return Fixtures.rejected(psn, pharmacy, "T-1", at, RejectCode.NON_MEDICAL_ITEM, "line 1 is not a medical item",
                Fixtures.requestLine(1, "SHAMPOO01", "NON_MEDICAL", "1", "19.90"));
    }

    private long count(String sql, Object... params) {
        Row row = pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params))).await().indefinitely().iterator().next();
        Long v = row.getLong(0);
        return v == null ? 0 : v;
    }

    /** Everything the intake stored for one instance of the script, with its id prefix taken out. */
    record Snapshot(List<String> alerts, List<String> published, List<String> windows, List<String> counts, int processed) {
        Set<String> rules() {
            return alerts.stream().map(s -> s.substring(0, s.indexOf('|'))).collect(Collectors.toSet());
        }
    }

    private Snapshot snapshot(String prefix) {
        String like = prefix + "%";
        List<String> alerts = rows("""
                SELECT a.rule_id || '|' || a.dedupe_key || '|' || a.severity || '|' || a.behaviour_type || '|'
                       || coalesce(a.pharmacy_code, '') || '|' || coalesce(a.psn_no, '') || '|' || coalesce(a.terminal_id, '') || '|'
                       || coalesce(a.prescriber_code, '') || '|' || coalesce(a.region_code, '') || '|' || a.amount || '|'
                       || a.evidence || '|' || a.window_start || '|' || a.window_end || '|seen=' || a.seen_count || '|'
                       || (SELECT string_agg(s.ref || ',' || coalesce(s.setl_id, '') || ',' || coalesce(s.msg_id, '') || ','
                                             || coalesce(s.pharmacy_code, '') || ',' || s.occurred_at || ',' || s.amount, ';' ORDER BY s.ref)
                           FROM alert_settlement s WHERE s.alert_id = a.alert_id)
                FROM alert a WHERE a.pharmacy_code LIKE $1""", like, prefix);
        // what the relay published (it deletes a row once the broker has it): every alert event of
        // this instance, as auditors' consumers read them
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM outbox WHERE msg_key LIKE $1", like) == 0);
        List<String> published = new ArrayList<>();
        KafkaIO.alerts().stream().filter(r -> r.key() != null && r.key().startsWith(prefix))
                .forEach(r -> {
                    ObjectNode n = (ObjectNode) KafkaIO.tree(r.value());
                    n.remove("alertId");
                    n.remove("detectedAt");
                    // settlements with the same time come in index order, which neither path decides
                    List<JsonNode> refs = new ArrayList<>();
                    n.withArray("settlements").forEach(refs::add);
                    refs.sort(java.util.Comparator.comparing((JsonNode x) -> x.path("occurredAt").asText())
                            .thenComparing(x -> x.path("setlId").asText() + x.path("msgId").asText()));
                    n.putArray("settlements").addAll(refs);
                    published.add(n.toString().replace(prefix, "X"));
                });
        published.sort(null);
        List<String> windows = rows("SELECT setl_id || '|' || coalesce(msg_id, '') || '|' || psn_no || '|' || pharmacy_code || '|'"
                + " || coalesce(terminal_id, '') || '|' || coalesce(region_code, '') || '|' || occurred_at || '|' || total || '|' || items"
                + " FROM recent_settlement WHERE pharmacy_code LIKE $1", like, prefix);
        List<String> counts = rows("SELECT pharmacy_code || '|' || day || '|' || settled FROM pharmacy_daily_count"
                + " WHERE pharmacy_code LIKE $1", like, prefix);
        int processed = (int) count("SELECT count(*) FROM processed_message WHERE consumer = 'audit-decisions' AND message_id LIKE $1",
                like);
        return new Snapshot(alerts, published, windows, counts, processed);
    }

    private List<String> rows(String sql, String like, String prefix) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(like)).await().indefinitely()
                .forEach(r -> out.add(r.getString(0).replace(prefix, "X")));
        out.sort(null);
        return out;
    }
}
