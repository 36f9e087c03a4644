package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.Ids;
import cn.pharmacyclaims.audit.KafkaIO;
import cn.pharmacyclaims.audit.pharmacy.PharmacyStore;
import cn.pharmacyclaims.audit.rules.Fixtures;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The audit stream end to end: decisions in on the real broker, alerts out through the outbox. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
class AuditStreamTest {
    private static final Pattern AMOUNT = Pattern.compile("^\\d+\\.\\d{2}$");
    private static final Pattern OFFSET_TIME = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?[+-]\\d{2}:\\d{2}$");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    PharmacyStore pharmacies;

    private static void decide(SettlementDecision d) {
        KafkaIO.sendJson(Topics.SETTLEMENT_DECISIONS, d.psnNo(), d);
    }

    private static void pharmacyStatus(PharmacyStatusChanged p) {
        KafkaIO.sendJson(Topics.PHARMACY_STATUS, p.pharmacyCode(), p);
    }

    private static List<JsonNode> alertsWhere(String field, String value) {
        return KafkaIO.alerts(n -> value.equals(n.path("subject").path(field).asText(null))).stream()
                .map(r -> KafkaIO.tree(r.value())).toList();
    }

    private long count(String sql, Object... params) {
        Iterator<Row> it = pool.preparedQuery(sql).execute(Tuple.from(java.util.Arrays.asList(params))).await().indefinitely().iterator();
        return it.next().getLong(0);
    }

    private void awaitPharmacies(String... codes) {
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM pharmacy WHERE pharmacy_code = ANY($1)",
                (Object) codes) == codes.length);
    }

    private void awaitOutboxDrained() {
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM outbox") == 0);
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> names = new HashSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aud01_alertOnTheStream_hasExactlyTheDocumentedShape() {
        String psn = Ids.psn();
        String pharmacy = Ids.pharmacy();
        OffsetDateTime at = Ids.yesterdayAt(10, 15);
        SettlementDecision d = Fixtures.rejected(psn, pharmacy, "T-1", at, RejectCode.NON_MEDICAL_ITEM,
                "line 1 is not a medical item", Fixtures.requestLine(1, "SHAMPOO01", "NON_MEDICAL", "2", "12.3450"),
                Fixtures.requestLine(2, "XC08CAA0450101", "A", "1", "5.00"));
        decide(d);

        ConsumerRecord<String, String> record = await().atMost(WAIT).until(
                () -> KafkaIO.alerts(n -> psn.equals(n.path("subject").path("psnNo").asText(null))),
                l -> !l.isEmpty()).get(0);

        assertThat(record.key()).isEqualTo(pharmacy);
        JsonNode a = KafkaIO.tree(record.value());
        assertThat(fieldNames(a)).containsExactlyInAnyOrder("alertId", "ruleId", "ruleName", "severity", "behaviourType",
                "subject", "regionCode", "amount", "settlements", "evidence", "windowStart", "windowEnd", "detectedAt",
                "schemaVersion");
        assertThat(UUID.fromString(a.get("alertId").asText())).isNotNull();
        assertThat(a.get("ruleId").asText()).isEqualTo("AUD-01");
        assertThat(a.get("ruleName").asText()).isEqualTo("daily goods billed to insurance");
        assertThat(a.get("severity").asText()).isEqualTo("CLEAR_VIOLATION");
        assertThat(a.get("behaviourType").asText()).isEqualTo("NON_MEDICAL_GOODS");
        JsonNode subject = a.get("subject");
        assertThat(fieldNames(subject)).containsExactlyInAnyOrder("pharmacyCode", "psnNo", "terminalId", "prescriberCode");
        assertThat(subject.get("pharmacyCode").asText()).isEqualTo(pharmacy);
        assertThat(subject.get("psnNo").asText()).isEqualTo(psn);
        assertThat(subject.get("terminalId").asText()).isEqualTo("T-1");
        assertThat(subject.get("prescriberCode").asText()).isEqualTo("D0042");
        assertThat(a.get("regionCode").asText()).isEqualTo("440105");
        // amounts are JSON strings with exactly 2 decimals: 2 × 12.3450 → 24.69, + 5.00
        assertThat(a.get("amount").isTextual()).isTrue();
        assertThat(a.get("amount").asText()).matches(AMOUNT).isEqualTo("29.69");
        assertThat(a.get("settlements").isArray()).isTrue();
        assertThat(a.get("settlements")).hasSize(1);
        JsonNode s = a.get("settlements").get(0);
        assertThat(fieldNames(s)).containsExactlyInAnyOrder("setlId", "msgId", "pharmacyCode", "occurredAt");
        assertThat(s.get("msgId").asText()).isEqualTo(d.msgId());
        assertThat(s.get("pharmacyCode").asText()).isEqualTo(pharmacy);
        assertThat(s.get("occurredAt").asText()).matches(OFFSET_TIME);
        assertThat(OffsetDateTime.parse(s.get("occurredAt").asText()).toInstant()).isEqualTo(at.toInstant());
        assertThat(a.get("evidence").asText()).contains("SHAMPOO01");
        for (String time : List.of("windowStart", "windowEnd", "detectedAt")) {
            assertThat(a.get(time).isTextual()).as(time).isTrue();
            assertThat(a.get(time).asText()).as(time).matches(OFFSET_TIME).endsWith("+08:00");
        }
        assertThat(OffsetDateTime.parse(a.get("windowStart").asText()).toInstant()).isEqualTo(at.toInstant());
        assertThat(a.get("schemaVersion").isInt()).isTrue();
        assertThat(a.get("schemaVersion").asInt()).isEqualTo(1);
        // AUD-23: no names, no ID-card numbers anywhere in the alert
        assertThat(record.value()).doesNotContain("certNo").doesNotContain("idNo").doesNotContain("\"name\"");

        // counted by rule (metrics)
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("pc_audit_alerts_total\\{[^}]*ruleId=\"AUD-01\"[^}]*\\} [1-9]");
    }

    @Test
    void sameDecisionDeliveredTwice_givesOneAlert() {
        String psn = Ids.psn();
        String pharmacy = Ids.pharmacy();
        SettlementDecision first = Fixtures.rejected(psn, pharmacy, "T-1", Ids.yesterdayAt(11, 0), RejectCode.NON_MEDICAL_ITEM,
                "x", Fixtures.requestLine(1, "SOAP", "NON_MEDICAL", "1", "8.00"));
        SettlementDecision marker = Fixtures.rejected(psn, pharmacy, "T-1", Ids.yesterdayAt(11, 5), RejectCode.NON_MEDICAL_ITEM,
                "x", Fixtures.requestLine(1, "SOAP", "NON_MEDICAL", "1", "9.00"));
        decide(first);
        decide(first); // redelivery: same event id
        decide(marker); // same key, so processed after both copies of the first

        List<JsonNode> alerts = await().atMost(WAIT).until(() -> alertsWhere("psnNo", psn),
                l -> l.stream().anyMatch(n -> marker.msgId().equals(n.at("/settlements/0/msgId").asText())));
        assertThat(alerts).filteredOn(n -> first.msgId().equals(n.at("/settlements/0/msgId").asText())).hasSize(1);
        assertThat(alerts).hasSize(2);
        assertThat(count("SELECT count(*) FROM processed_message WHERE consumer = 'audit-decisions' AND message_id = $1",
                first.eventId())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM alert WHERE psn_no = $1", psn)).isEqualTo(2);
        // the copy was not even evaluated again (processed-message check), not merely deduplicated by the alert key
        assertThat(count("SELECT max(a.seen_count) FROM alert a JOIN alert_settlement s USING (alert_id) WHERE s.msg_id = $1",
                first.msgId())).isEqualTo(1);
    }

    @Test
    void aud02_distantPharmacies_andManyPharmacies() {
        String gz = Ids.pharmacy();
        String sz = Ids.pharmacy();
        pharmacyStatus(Ids.pharmacyStatus(gz, 23.1291, 113.2644, "00:00-24:00", 1));
        pharmacyStatus(Ids.pharmacyStatus(sz, 22.5431, 114.0579, "00:00-24:00", 1));
        awaitPharmacies(gz, sz);

        String traveller = Ids.psn();
        SettlementDecision inGz = Fixtures.settled(Fixtures.setl(), traveller, gz, Ids.terminal(), Ids.yesterdayAt(10, 2), "50.00");
        SettlementDecision inSz = Fixtures.settled(Fixtures.setl(), traveller, sz, Ids.terminal(), Ids.yesterdayAt(10, 19), "76.40");
        decide(inGz);
        decide(inSz);
        JsonNode distant = await().atMost(WAIT).until(() -> alertsWhere("psnNo", traveller), l -> !l.isEmpty()).get(0);
        assertThat(distant.get("ruleId").asText()).isEqualTo("AUD-02");
        assertThat(distant.get("ruleName").asText()).isEqualTo("card used at distant pharmacies");
        assertThat(distant.get("severity").asText()).isEqualTo("HIGHLY_SUSPICIOUS");
        assertThat(distant.get("behaviourType").asText()).isEqualTo("IMPERSONATION");
        assertThat(distant.get("amount").asText()).isEqualTo("126.40");
        assertThat(distant.get("evidence").asText()).contains(gz).contains(sz).contains("km");
        assertThat(setlIds(distant)).containsExactly(inGz.setlId(), inSz.setlId());

        String hopper = Ids.psn();
        List<String> codes = List.of(Ids.pharmacy(), Ids.pharmacy(), Ids.pharmacy());
        for (int i = 0; i < 3; i++) {
            decide(Fixtures.settled(Fixtures.setl(), hopper, codes.get(i), Ids.terminal(), Ids.yesterdayAt(14, 10 * i), "10.00"));
        }
        JsonNode many = await().atMost(WAIT).until(() -> alertsWhere("psnNo", hopper), l -> !l.isEmpty()).get(0);
        assertThat(many.get("ruleId").asText()).isEqualTo("AUD-02");
        assertThat(many.get("ruleName").asText()).isEqualTo("card used at many pharmacies");
        assertThat(many.get("settlements")).hasSize(3);
        assertThat(many.get("amount").asText()).isEqualTo("30.00");
    }

    @Test
    void aud07_terminalBurst_oneAlertForTheWholeBurst() {
        String terminal = Ids.terminal();
        String pharmacy = Ids.pharmacy();
        OffsetDateTime start = Ids.yesterdayAt(16, 0);
        for (int i = 0; i < 22; i++) {
            decide(Fixtures.settled(Fixtures.setl(), Ids.psn(), pharmacy, terminal, start.plusSeconds(15L * i), "12.00"));
        }
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM recent_settlement WHERE terminal_id = $1", terminal) == 22);
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM alert_settlement s JOIN alert a USING (alert_id)"
                + " WHERE a.terminal_id = $1", terminal) == 22);
        awaitOutboxDrained();

        List<JsonNode> alerts = alertsWhere("terminalId", terminal).stream()
                .filter(n -> "AUD-07".equals(n.get("ruleId").asText())).toList();
        assertThat(alerts).hasSize(1);
        JsonNode a = alerts.get(0);
        assertThat(a.get("behaviourType").asText()).isEqualTo("GHOST_SWIPES");
        assertThat(a.get("severity").asText()).isEqualTo("HIGHLY_SUSPICIOUS");
        assertThat(a.path("subject").path("pharmacyCode").asText()).isEqualTo(pharmacy);
        assertThat(a.path("subject").path("psnNo").isNull()).isTrue();
        assertThat(a.get("settlements").size()).isBetween(20, 22);
        assertThat(count("SELECT count(*) FROM alert WHERE terminal_id = $1 AND rule_id = 'AUD-07'", terminal)).isEqualTo(1);
    }

    @Test
    void aud09_cancelledSettlementLeavesTheWindow() {
        String psn = Ids.psn();
        String pharmacy = Ids.pharmacy();
        List<SettlementDecision> settled = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            settled.add(Fixtures.settled(Fixtures.setl(), psn, pharmacy, "T-1", Ids.yesterdayAt(9, i), "5.00"));
        }
        for (int i = 0; i < 4; i++) {
            decide(settled.get(i));
        }
        decide(Fixtures.cancelled(settled.get(0))); // CLM-14: no longer a settlement
        decide(settled.get(4)); // 4 live tiny settlements
        decide(settled.get(5)); // 5 live

        JsonNode a = await().atMost(WAIT).until(() -> alertsWhere("psnNo", psn), l -> !l.isEmpty()).get(0);
        assertThat(a.get("ruleId").asText()).isEqualTo("AUD-09");
        assertThat(a.get("behaviourType").asText()).isEqualTo("SMALL_AMOUNTS");
        assertThat(setlIds(a)).containsExactlyElementsOf(settled.subList(1, 6).stream().map(SettlementDecision::setlId).toList());
        assertThat(a.get("amount").asText()).isEqualTo("25.00");
        assertThat(count("SELECT count(*) FROM recent_settlement WHERE setl_id = $1", settled.get(0).setlId())).isZero();
    }

    @Test
    void aud06_settlementOutsideRegisteredHours() {
        String pharmacy = Ids.pharmacy();
        pharmacyStatus(Ids.pharmacyStatus(pharmacy, 23.1, 113.3, "08:00-22:00", 3));
        awaitPharmacies(pharmacy);
        SettlementDecision night = Fixtures.settled(Fixtures.setl(), Ids.psn(), pharmacy, "T-1", Ids.yesterdayAt(23, 30), "20.00");
        decide(night);
        JsonNode a = await().atMost(WAIT).until(() -> alertsWhere("pharmacyCode", pharmacy), l -> !l.isEmpty()).get(0);
        assertThat(a.get("ruleId").asText()).isEqualTo("AUD-06");
        assertThat(a.get("evidence").asText()).contains("23:30").contains("08:00-22:00");
        assertThat(setlIds(a)).containsExactly(night.setlId());
    }

    @Test
    void aud03_splitPurchasesOfOneItem() {
        String psn = Ids.psn();
        String pharmacy = Ids.pharmacy();
        SettlementDecision first = Fixtures.settled(Fixtures.setl(), psn, pharmacy, "T-1", Ids.yesterdayAt(17, 0), "24.68",
                Fixtures.line(1, "XC08CAA0450101", "A", "2", "12.34", 7));
        SettlementDecision second = Fixtures.settled(Fixtures.setl(), psn, pharmacy, "T-1", Ids.yesterdayAt(17, 20), "24.68",
                Fixtures.line(1, "XC08CAA0450101", "A", "2", "12.34", 7));
        decide(first);
        decide(second);
        JsonNode a = await().atMost(WAIT).until(() -> alertsWhere("psnNo", psn), l -> !l.isEmpty()).get(0);
        assertThat(a.get("ruleId").asText()).isEqualTo("AUD-03");
        assertThat(a.get("behaviourType").asText()).isEqualTo("SPLITTING");
        assertThat(a.get("evidence").asText()).contains("XC08CAA0450101").contains("14 days");
        assertThat(setlIds(a)).containsExactly(first.setlId(), second.setlId());
        assertThat(a.get("amount").asText()).isEqualTo("49.36");
    }

    @Test
    void pharmacyStatus_olderVersionIsIgnored() {
        String pharmacy = Ids.pharmacy();
        pharmacyStatus(Ids.pharmacyStatus(pharmacy, 23.1, 113.3, "09:00-18:00", 5));
        awaitPharmacies(pharmacy);
        boolean applied = pharmacies.apply(Ids.pharmacyStatus(pharmacy, 1.0, 1.0, "00:00-24:00", 4)).await().indefinitely();
        assertThat(applied).isFalse();
        Row row = pool.preparedQuery("SELECT business_hours, lat, version FROM pharmacy WHERE pharmacy_code = $1")
                .execute(Tuple.of(pharmacy)).await().indefinitely().iterator().next();
        assertThat(row.getString("business_hours")).isEqualTo("09:00-18:00");
        assertThat(row.getDouble("lat")).isEqualTo(23.1);
        assertThat(row.getLong("version")).isEqualTo(5L);
        assertThat(pharmacies.apply(Ids.pharmacyStatus(pharmacy, 23.2, 113.3, "08:00-20:00", 6)).await().indefinitely()).isTrue();
    }

    @Test
    void unparseableRecord_isSkippedAndCounted_theStreamGoesOn() {
        String psn = Ids.psn();
        KafkaIO.send(Topics.SETTLEMENT_DECISIONS, psn, "{ this is not a decision");
        KafkaIO.send(Topics.SETTLEMENT_DECISIONS, psn, "{\"eventId\": \"x\"}");
        SettlementDecision after = Fixtures.rejected(psn, Ids.pharmacy(), "T-1", Ids.yesterdayAt(12, 0),
                RejectCode.CARD_REPORTED_LOST, "card lost");
        decide(after); // same key: behind the bad records on the same partition
        JsonNode a = await().atMost(WAIT).until(() -> alertsWhere("psnNo", psn), l -> !l.isEmpty()).get(0);
        assertThat(a.get("ruleId").asText()).isEqualTo("AUD-14");
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("pc_audit_decisions_unparseable_total(\\{[^}]*\\})? [2-9]");
    }

    private static List<String> setlIds(JsonNode alert) {
        return StreamSupport.stream(alert.get("settlements").spliterator(), false).map(n -> n.get("setlId").asText()).toList();
    }
}
