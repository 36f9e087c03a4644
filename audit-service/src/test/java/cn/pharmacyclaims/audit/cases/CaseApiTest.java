package cn.pharmacyclaims.audit.cases;

import cn.pharmacyclaims.audit.Ids;
import cn.pharmacyclaims.audit.KafkaIO;
import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.audit.rules.Fixtures;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.DevTokens;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * AUD-20 cases and AUD-21 sanctions end to end: decisions in on the real broker give alerts, auditors
 * work the case over HTTP with real bearer tokens, sanctions come out on {@code audit.sanctions}
 * through the outbox. Every test has a pharmacy of its own (region {@value #REGION} in the local
 * pharmacy table, unlike the decisions' 440105, to show where the sanction's region comes from).
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
class CaseApiTest {
    private static final String REGION = "440199";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String A = "auditor-a";
    private static final String B = "auditor-b";

    @Inject
    Pool pool;

    String pharmacy;

    @BeforeEach
    void pharmacyOfThisTest() {
        pharmacy = Ids.pharmacy();
        KafkaIO.sendJson(Topics.PHARMACY_STATUS, pharmacy, new PharmacyStatusChanged(pharmacy, "Pharmacy " + pharmacy, REGION,
                "1 Test Road", 23.1, 113.3, "08:00-22:00", PharmacyStatus.ACTIVE, "GENERAL", LocalDate.of(2026, 1, 1),
                LocalDate.of(2026, 12, 31), 1, OffsetDateTime.now(Beijing.ZONE), "test"));
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM pharmacy WHERE pharmacy_code = $1", pharmacy) == 1);
    }

    // ---- the flows -------------------------------------------------------------------------

    @Test
    void aud20_sec03_openerCannotConfirm_secondAuditorConfirms_interviewOnTheSanctionsTopic() {
        SettlementDecision late = offHours(pharmacy, Ids.yesterdayAt(23, 10), "30.00");
        String offHoursAlert = alertOf(late.msgId(), "AUD-06");
        String suspendedAlert = aud13Alert(pharmacy);

        String location = as(A).body(Map.of("alertIds", List.of(offHoursAlert, suspendedAlert), "title", "late swipes",
                        "note", "two patterns in one week"))
                .post("/api/v1/cases").then().statusCode(201)
                .body("status", equalTo("OPEN"))
                .body("pharmacyCode", equalTo(pharmacy))
                .body("regionCode", equalTo(REGION))
                .body("openedBy", equalTo(A))
                .body("openedAt", endsWith("+08:00"))
                // alerts in event-time order: the AUD-13 request at 15:00 before the AUD-06 settlement at 23:10
                .body("alerts.alertId", contains(suspendedAlert, offHoursAlert))
                .body("settlements", hasSize(1))
                .body("settlements[0].setlId", equalTo(late.setlId()))
                .body("settlements[0].msgId", equalTo(late.msgId()))
                .body("settlements[0].status", equalTo("OPEN"))
                .body("events.type", contains("OPENED"))
                .body("events[0].actor", equalTo(A))
                .body("events[0].text", equalTo("two patterns in one week"))
                .body("sanction", nullValue())
                .extract().header("Location");
        String caseId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(caseId).startsWith("C-");

        // SET-03: the open case withholds its pharmacy's settlement, for the finance part to read
        asRole("finance-checker", "finance-checker").queryParam("status", "OPEN").queryParam("pharmacyCode", pharmacy)
                .get("/api/v1/cases/settlements").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].caseId", equalTo(caseId)).body("[0].setlId", equalTo(late.setlId()));

        // SEC-03: the opener cannot confirm; nothing changes
        as(A).body(confirm("30.00", "GHOST_SWIPES", "100.00", "swipes after closing time"))
                .post("/api/v1/cases/" + caseId + "/close").then().statusCode(403)
                .contentType("application/problem+json")
                .body("code", equalTo("SEGREGATION_OF_DUTIES"))
                .body("detail", containsString("SEC-03"));
        as(B).get("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("status", equalTo("OPEN")).body("events", hasSize(1)).body("settlements[0].status", equalTo("OPEN"));
        assertThat(count("SELECT count(*) FROM sanction WHERE case_id = $1", caseId)).isZero();
        assertNoSanctionSent(pharmacy);

        // a second auditor confirms: AUD-21 first rung
        as(B).body(confirm("30.00", "GHOST_SWIPES", "100.00", "swipes after closing time"))
                .post("/api/v1/cases/" + caseId + "/close").then().statusCode(200)
                .body("status", equalTo("CONFIRMED"))
                .body("closedBy", equalTo(B))
                .body("violatingAmount", equalTo("30.00"))
                .body("category", equalTo("GHOST_SWIPES"))
                .body("severe", equalTo(false))
                .body("penaltyAmount", equalTo("100.00"))
                .body("closeReason", equalTo("swipes after closing time"))
                .body("settlements[0].status", equalTo("CONFIRMED"))
                .body("events.type", contains("OPENED", "CONFIRMED", "SANCTION_REQUESTED"))
                .body("events.actor", contains(A, B, B))
                .body("events[1].details.violatingAmount", equalTo("30.00"))
                .body("sanction.level", equalTo("INTERVIEW"))
                .body("sanction.caseId", equalTo(caseId));

        List<ConsumerRecord<String, String>> published = awaitSanctions(pharmacy, 1);
        ConsumerRecord<String, String> record = published.get(0);
        assertThat(record.key()).isEqualTo(pharmacy);
        JsonNode s = KafkaIO.tree(record.value());
        assertThat(fieldNames(s)).containsExactlyInAnyOrder("sanctionId", "pharmacyCode", "regionCode", "level", "policeReferral",
                "caseId", "reason", "confirmedCasesIn12Months", "decidedBy", "decidedAt", "schemaVersion", "category");
        assertThat(UUID.fromString(s.get("sanctionId").asText())).isNotNull();
        assertThat(s.get("pharmacyCode").asText()).isEqualTo(pharmacy);
        assertThat(s.get("regionCode").asText()).isEqualTo(REGION);
        assertThat(s.get("level").asText()).isEqualTo("INTERVIEW");
        assertThat(s.get("category").asText()).isEqualTo("GHOST_SWIPES");
        assertThat(s.get("policeReferral").asBoolean()).isFalse();
        assertThat(s.get("policeReferral").isBoolean()).isTrue();
        assertThat(s.get("caseId").asText()).isEqualTo(caseId);
        assertThat(s.get("reason").asText()).contains("AUD-21", caseId, "GHOST_SWIPES", "1st confirmed case in 12 months", "interview");
        assertThat(s.get("confirmedCasesIn12Months").asInt()).isEqualTo(1);
        assertThat(s.get("decidedBy").asText()).isEqualTo(B);
        assertThat(s.get("decidedAt").asText()).endsWith("+08:00");
        assertThat(OffsetDateTime.parse(s.get("decidedAt").asText())).isCloseTo(OffsetDateTime.now(),
                org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MINUTES));
        assertThat(s.get("schemaVersion").asInt()).isEqualTo(1);
        // the view shows the very sanction that was published
        as(A).get("/api/v1/cases/" + caseId).then().statusCode(200).body("sanction.sanctionId", equalTo(s.get("sanctionId").asText()));

        // SET-03: confirmed means never paid (or recovered); nothing is withheld any more
        asRole("finance-maker", "finance-maker").queryParam("status", "CONFIRMED").queryParam("pharmacyCode", pharmacy)
                .get("/api/v1/cases/settlements").then().statusCode(200)
                .body("setlId", contains(late.setlId())).body("[0].status", equalTo("CONFIRMED"));
        as(A).queryParam("status", "OPEN").queryParam("pharmacyCode", pharmacy)
                .get("/api/v1/cases/settlements").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aud21_secondConfirmedCaseIn12Months_isSettlementHold_thirdIsSuspension() {
        List<String> levels = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String caseId = openCase(A, aud13Alert(pharmacy));
            levels.add(as(B).body(confirm("20.00", "SUSPENDED_SETTLEMENT", null, null))
                    .post("/api/v1/cases/" + caseId + "/close").then().statusCode(200)
                    .body("sanction.confirmedCasesIn12Months", equalTo(i))
                    .body("sanction.policeReferral", equalTo(false))
                    .extract().path("sanction.level"));
        }
        assertThat(levels).containsExactly("INTERVIEW", "SETTLEMENT_HOLD", "SUSPENSION");
        // one key, one partition: the agreement service sees them in the order they were decided
        List<JsonNode> published = awaitSanctions(pharmacy, 3).stream().map(r -> KafkaIO.tree(r.value())).toList();
        assertThat(published).extracting(n -> n.get("level").asText()).containsExactly("INTERVIEW", "SETTLEMENT_HOLD", "SUSPENSION");
        assertThat(published).extracting(n -> n.get("confirmedCasesIn12Months").asInt()).containsExactly(1, 2, 3);
        assertThat(published.get(1).get("reason").asText()).contains("2nd confirmed case in 12 months", "settlement hold");
    }

    @Test
    void aud21_onlyConfirmationsInTheRolling12MonthsCount() {
        // two earlier confirmed cases of this pharmacy: 13 months ago (out) and 11 months ago (in)
        OffsetDateTime now = OffsetDateTime.now(Beijing.ZONE);
        insertConfirmedCase(now.minusMonths(13));
        insertConfirmedCase(now.minusMonths(11));

        String caseId = openCase(A, aud13Alert(pharmacy));
        as(B).body(confirm("20.00", "SUSPENDED_SETTLEMENT", null, null))
                .post("/api/v1/cases/" + caseId + "/close").then().statusCode(200)
                .body("sanction.level", equalTo("SETTLEMENT_HOLD"))
                .body("sanction.confirmedCasesIn12Months", equalTo(2));
        assertThat(awaitSanctions(pharmacy, 1)).hasSize(1);
    }

    @Test
    void aud21_severeCategory_isTerminationWithPoliceReferral_onTheFirstCase() {
        String caseId = openCase(A, aud13Alert(pharmacy));
        as(B).body(confirm("1500.00", "CASH_OUT", "5000.00", "round totals paid out in cash"))
                .post("/api/v1/cases/" + caseId + "/close").then().statusCode(200)
                .body("severe", equalTo(true))
                .body("category", equalTo("CASH_OUT"))
                .body("sanction.level", equalTo("TERMINATION"))
                .body("sanction.policeReferral", equalTo(true));

        JsonNode s = KafkaIO.tree(awaitSanctions(pharmacy, 1).get(0).value());
        assertThat(s.get("level").asText()).isEqualTo("TERMINATION");
        assertThat(s.get("policeReferral").asBoolean()).isTrue();
        assertThat(s.get("confirmedCasesIn12Months").asInt()).isEqualTo(1);
        assertThat(s.get("caseId").asText()).isEqualTo(caseId);
        assertThat(s.get("decidedBy").asText()).isEqualTo(B);
        assertThat(s.get("reason").asText()).contains(caseId, "CASH_OUT", "cashing out", "termination", "police referral");
    }

    @Test
    void aud20_dismissedCase_byItsOpener_sanctionsNothing_andFreesItsAlerts() {
        SettlementDecision late = offHours(pharmacy, Ids.yesterdayAt(22, 45), "42.00");
        String alert = alertOf(late.msgId(), "AUD-06");
        String dismissed = openCase(A, alert);
        as(A).body(Map.of("outcome", "DISMISSED", "reason", "the registered hours were out of date"))
                .post("/api/v1/cases/" + dismissed + "/close").then().statusCode(200)
                .body("status", equalTo("DISMISSED"))
                .body("closedBy", equalTo(A))
                .body("closeReason", equalTo("the registered hours were out of date"))
                .body("violatingAmount", nullValue())
                .body("sanction", nullValue())
                .body("settlements[0].status", equalTo("DISMISSED"))
                .body("events.type", contains("OPENED", "DISMISSED"));
        assertThat(count("SELECT count(*) FROM sanction WHERE pharmacy_code = $1", pharmacy)).isZero();
        assertNoSanctionSent(pharmacy);
        // SET-03: released, neither withheld nor condemned
        as(A).queryParam("status", "OPEN").queryParam("pharmacyCode", pharmacy).get("/api/v1/cases/settlements").then()
                .statusCode(200).body("$", hasSize(0));

        // new evidence: the same alert in a new case, confirmed; the dismissed case does not count on the ladder
        String confirmed = openCase(B, alert);
        as(A).body(confirm("42.00", "GHOST_SWIPES", null, null)).post("/api/v1/cases/" + confirmed + "/close").then()
                .statusCode(200).body("sanction.level", equalTo("INTERVIEW")).body("sanction.confirmedCasesIn12Months", equalTo(1));
        // the only sanction of this pharmacy on the topic is the confirmed case's (the dismissed one would be before it)
        assertThat(awaitSanctions(pharmacy, 1)).extracting(r -> KafkaIO.tree(r.value()).get("caseId").asText())
                .containsExactly(confirmed);
    }

    @Test
    void badInput_isASpecificProblem_andChangesNothing() {
        String alert = aud13Alert(pharmacy);
        String otherPharmacy = Ids.pharmacy();
        String foreignAlert = aud13Alert(otherPharmacy);

        as(A).body(Map.of("alertIds", List.of(alert, UUID.randomUUID().toString()), "title", "t")).post("/api/v1/cases").then()
                .statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("UNKNOWN_ALERT")).body("errors.field", contains("alertIds[1]"));
        as(A).body(Map.of("alertIds", List.of(alert, foreignAlert), "title", "t")).post("/api/v1/cases").then()
                .statusCode(400).body("code", equalTo("ALERTS_OF_SEVERAL_PHARMACIES"))
                .body("detail", containsString(otherPharmacy))
                .body("errors.field", containsInAnyOrder("alertIds[0]", "alertIds[1]"));
        as(A).body(Map.of("alertIds", List.of("not-an-id"), "title", " ")).post("/api/v1/cases").then()
                .statusCode(400).body("errors.field", containsInAnyOrder("alertIds[0]", "title"));
        as(A).body("{\"alertIds\": \"" + alert + "\", \"title\": \"t\"}").post("/api/v1/cases").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("alertIds"));
        assertThat(count("SELECT count(*) FROM audit_case WHERE pharmacy_code = ANY($1)", (Object) new String[] {pharmacy, otherPharmacy}))
                .isZero();

        String caseId = openCase(A, alert);
        as(B).body(Map.of("alertIds", List.of(alert), "title", "again")).post("/api/v1/cases").then()
                .statusCode(409).body("code", equalTo("ALERT_IN_OPEN_CASE")).body("detail", containsString(caseId));
        assertThat(count("SELECT count(*) FROM audit_case WHERE pharmacy_code = $1", pharmacy)).isEqualTo(1);

        // closing: bad bodies name their fields; unknown case is 404
        as(B).body(Map.of("outcome", "CONFIRMED")).post("/api/v1/cases/" + caseId + "/close").then()
                .statusCode(400).body("errors.field", contains("violatingAmount", "category"));
        as(B).body(Map.of("outcome", "CONFIRMED", "violatingAmount", "lots", "category", "CASH_OUT"))
                .post("/api/v1/cases/" + caseId + "/close").then().statusCode(400).body("errors.field", contains("violatingAmount"));
        as(B).body(Map.of("outcome", "CLOSED")).post("/api/v1/cases/" + caseId + "/close").then()
                .statusCode(400).body("errors.field", contains("outcome"));
        as(B).body(confirm("1.00", "GHOST_SWIPES", null, null)).post("/api/v1/cases/C-" + UUID.randomUUID() + "/close").then()
                .statusCode(404).contentType("application/problem+json");
        as(B).body(Map.of("note", "x")).post("/api/v1/cases/C-nope/notes").then().statusCode(404);
        as(B).get("/api/v1/cases/C-nope").then().statusCode(404);
        as(B).get("/api/v1/cases/" + caseId).then().statusCode(200).body("status", equalTo("OPEN")).body("events", hasSize(1));

        // closing twice: 409, and the first closing stands
        as(B).body(confirm("20.00", "SUSPENDED_SETTLEMENT", null, null)).post("/api/v1/cases/" + caseId + "/close").then().statusCode(200);
        as(A).body(Map.of("outcome", "DISMISSED", "reason", "changed my mind")).post("/api/v1/cases/" + caseId + "/close").then()
                .statusCode(409).body("code", equalTo("CASE_ALREADY_CLOSED"));
        asRole("auditor-c", "auditor").body(confirm("99.00", "CASH_OUT", null, null)).post("/api/v1/cases/" + caseId + "/close").then()
                .statusCode(409).body("code", equalTo("CASE_ALREADY_CLOSED"));
        as(A).body(Map.of("note", "late note")).post("/api/v1/cases/" + caseId + "/notes").then()
                .statusCode(409).body("code", equalTo("CASE_CLOSED"));
        as(A).get("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("status", equalTo("CONFIRMED")).body("category", equalTo("SUSPENDED_SETTLEMENT")).body("violatingAmount", equalTo("20.00"))
                .body("events.type", contains("OPENED", "CONFIRMED", "SANCTION_REQUESTED"));
        assertThat(count("SELECT count(*) FROM sanction WHERE case_id = $1", caseId)).isEqualTo(1);
        // a judged alert is not judged again (it would count twice on the ladder)
        as(A).body(Map.of("alertIds", List.of(alert), "title", "again")).post("/api/v1/cases").then()
                .statusCode(409).body("code", equalTo("ALERT_IN_CONFIRMED_CASE"));
        assertThat(awaitSanctions(pharmacy, 1)).hasSize(1);
    }

    @Test
    void sec04_historyIsAppendOnly_inTheDatabaseItself() {
        String caseId = openCase(A, aud13Alert(pharmacy));
        as(A).body(Map.of("outcome", "DISMISSED", "reason", "duplicate of another case")).post("/api/v1/cases/" + caseId + "/close")
                .then().statusCode(200);
        assertThatThrownBy(() -> pool.preparedQuery("UPDATE case_event SET actor = 'someone-else' WHERE case_id = $1")
                .execute(Tuple.of(caseId)).await().indefinitely()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> pool.preparedQuery("DELETE FROM case_event WHERE case_id = $1")
                .execute(Tuple.of(caseId)).await().indefinitely()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> pool.preparedQuery("UPDATE audit_case SET status = 'CONFIRMED', violating_amount = 1, category = 'CASH_OUT',"
                + " severe = true WHERE case_id = $1").execute(Tuple.of(caseId)).await().indefinitely()).hasMessageContaining("closes once");
        assertThat(count("SELECT count(*) FROM case_event WHERE case_id = $1 AND actor = $2", caseId, A)).isEqualTo(2);
    }

    @Test
    void aud20_notesAndEvidence_areStepsWithWhoAndWhen_aud23_psnNoOnly() {
        String psn = Ids.psn();
        SettlementDecision d = Fixtures.rejected(psn, pharmacy, "T-1", Ids.yesterdayAt(15, 0), RejectCode.AGREEMENT_NOT_ACTIVE,
                "agreement SUSPENDED", Fixtures.requestLine(1, "XC08CAA0450101", "A", "2", "10.00"));
        KafkaIO.sendJson(Topics.SETTLEMENT_DECISIONS, d.psnNo(), d);
        String caseId = openCase(A, alertOf(d.msgId(), "AUD-13"));

        as(B).body(Map.of("note", "called the pharmacy, no answer", "evidence", "call log 2026-11-20 #17"))
                .post("/api/v1/cases/" + caseId + "/notes").then().statusCode(201)
                .body("type", equalTo("NOTE_ADDED")).body("actor", equalTo(B)).body("at", endsWith("+08:00"))
                .body("text", equalTo("called the pharmacy, no answer")).body("evidence", equalTo("call log 2026-11-20 #17"));
        // AUD-23: an ID-card number is refused, not stored
        as(B).body(Map.of("note", "the buyer showed card 440102199001011234")).post("/api/v1/cases/" + caseId + "/notes").then()
                .statusCode(400).body("errors.field", contains("note")).body("errors[0].message", containsString("psnNo"));
        as(B).body(Map.of()).post("/api/v1/cases/" + caseId + "/notes").then().statusCode(400).body("errors.field", contains("note"));

        ValidatableResponse view = as(A).get("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("events.type", contains("OPENED", "NOTE_ADDED"))
                .body("events[1].actor", equalTo(B))
                .body("alerts[0].subject.psnNo", equalTo(psn));
        JsonNode v = KafkaIO.tree(view.extract().asString());
        assertThat(fieldNames(v)).containsExactlyInAnyOrder("caseId", "pharmacyCode", "regionCode", "title", "status", "openedBy",
                "openedAt", "closedBy", "closedAt", "violatingAmount", "category", "severe", "penaltyAmount", "closeReason", "alerts",
                "settlements", "events", "sanction");
        assertThat(fieldNames(v.get("alerts").get(0).get("subject")))
                .containsExactlyInAnyOrder("pharmacyCode", "psnNo", "terminalId", "prescriberCode");
        assertThat(v.toString()).doesNotContain("440102199001011234");

        // listing: by pharmacy and status
        as(A).queryParam("pharmacyCode", pharmacy).queryParam("status", "OPEN").get("/api/v1/cases").then().statusCode(200)
                .body("caseId", contains(caseId)).body("[0].title", equalTo("case of " + pharmacy));
        as(A).queryParam("pharmacyCode", pharmacy).queryParam("status", "CONFIRMED").get("/api/v1/cases").then().statusCode(200)
                .body("$", hasSize(0));
        as(A).queryParam("status", "SHUT").queryParam("limit", "0").get("/api/v1/cases").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("status", "limit"));
    }

    @Test
    void set03_aSettlementAppendedToTheAlertOfAnOpenCase_isWithheldToo() {
        SettlementDecision first = offHours(pharmacy, Ids.yesterdayAt(22, 30), "12.00");
        String alert = alertOf(first.msgId(), "AUD-06");
        String caseId = openCase(A, alert);

        // same pharmacy, same day, off hours again: the AUD-06 alert of the day gains the settlement
        SettlementDecision second = offHours(pharmacy, Ids.yesterdayAt(23, 40), "13.00");
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM case_settlement WHERE case_id = $1", caseId) == 2);
        as(A).get("/api/v1/cases/" + caseId).then().statusCode(200)
                .body("settlements.setlId", containsInAnyOrder(first.setlId(), second.setlId()))
                .body("settlements.status", contains("OPEN", "OPEN"))
                .body("events.type", contains("OPENED", "SETTLEMENT_ADDED"))
                .body("events[1].actor", equalTo("audit-service"))
                .body("events[1].details.setlId", equalTo(second.setlId()));
    }

    @Test
    void sec02_onlyAuditorsWorkCases_financeReadsTheWithheldSettlements() {
        String alert = aud13Alert(pharmacy);
        Map<String, Object> open = Map.of("alertIds", List.of(alert), "title", "t");
        given().get("/api/v1/cases").then().statusCode(401);
        given().contentType(ContentType.JSON).body(open).post("/api/v1/cases").then().statusCode(401);
        given().queryParam("status", "OPEN").get("/api/v1/cases/settlements").then().statusCode(401);
        given().get("/api/v1/cases/C-1").then().statusCode(401);
        given().contentType(ContentType.JSON).body(confirm("1.00", "CASH_OUT", null, null)).post("/api/v1/cases/C-1/close").then()
                .statusCode(401);
        given().auth().oauth2("not-a-token").get("/api/v1/cases").then().statusCode(401);

        for (String role : List.of("finance-maker", "finance-checker", "agency-officer", "admin")) {
            asRole("user-" + role, role).get("/api/v1/cases").then().statusCode(403);
            asRole("user-" + role, role).body(open).post("/api/v1/cases").then().statusCode(403);
            asRole("user-" + role, role).body(Map.of("note", "x")).post("/api/v1/cases/C-1/notes").then().statusCode(403);
            asRole("user-" + role, role).body(confirm("1.00", "CASH_OUT", null, null)).post("/api/v1/cases/C-1/close").then()
                    .statusCode(403);
        }
        assertThat(count("SELECT count(*) FROM audit_case WHERE pharmacy_code = $1", pharmacy)).isZero();
        asRole("m", "finance-maker").queryParam("status", "OPEN").get("/api/v1/cases/settlements").then().statusCode(200);
        asRole("c", "finance-checker").queryParam("status", "CONFIRMED").get("/api/v1/cases/settlements").then().statusCode(200);
        asRole("o", "agency-officer").queryParam("status", "OPEN").get("/api/v1/cases/settlements").then().statusCode(403);
        asRole("m", "finance-maker").get("/api/v1/cases/settlements").then().statusCode(400).body("errors.field", contains("status"));
    }

    @Test
    void openApiDocumentsTheCaseApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/cases/{caseId}/close"))
                .body(containsString("/api/v1/cases/{caseId}/notes"))
                .body(containsString("/api/v1/cases/settlements"))
                .body(containsString("Open a case from alerts (AUD-20)"))
                .body(not(containsString("idCard")));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static RequestSpecification as(String auditor) {
        return asRole(auditor, "auditor");
    }

    private static RequestSpecification asRole(String user, String role) {
        return given().auth().oauth2(DevTokens.mint(user, role)).contentType(ContentType.JSON);
    }

    private static Map<String, Object> confirm(String amount, String category, String penalty, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", "CONFIRMED");
        m.put("violatingAmount", amount);
        m.put("category", category);
        if (penalty != null) {
            m.put("penaltyAmount", penalty);
        }
        if (reason != null) {
            m.put("reason", reason);
        }
        return m;
    }

    private String openCase(String auditor, String alertId) {
        return as(auditor).body(Map.of("alertIds", List.of(alertId), "title", "case of " + pharmacy))
                .post("/api/v1/cases").then().statusCode(201).extract().path("caseId");
    }

    /** An AUD-13 alert (a request rejected while the agreement was not active) about {@code code}. */
    private String aud13Alert(String code) {
        SettlementDecision d = Fixtures.rejected(Ids.psn(), code, "T-1", Ids.yesterdayAt(15, 0), RejectCode.AGREEMENT_NOT_ACTIVE,
                "agreement SUSPENDED", Fixtures.requestLine(1, "XC08CAA0450101", "A", "2", "10.00"));
        KafkaIO.sendJson(Topics.SETTLEMENT_DECISIONS, d.psnNo(), d);
        return alertOf(d.msgId(), "AUD-13");
    }

    /** A settlement at {@code at}; after 22:00 the pharmacy of this test is closed (AUD-06). */
    private static SettlementDecision offHours(String code, OffsetDateTime at, String total) {
        SettlementDecision d = Fixtures.settled(Fixtures.setl(), Ids.psn(), code, "T-1", at, total,
                Fixtures.line(1, "XC08CAA0450101", "A", "1", total, 3));
        KafkaIO.sendJson(Topics.SETTLEMENT_DECISIONS, d.psnNo(), d);
        return d;
    }

    private String alertOf(String msgId, String ruleId) {
        return await().atMost(WAIT).until(() -> {
            var rows = pool.preparedQuery("SELECT a.alert_id FROM alert a JOIN alert_settlement s ON s.alert_id = a.alert_id"
                    + " WHERE s.msg_id = $1 AND a.rule_id = $2").execute(Tuple.of(msgId, ruleId)).await().indefinitely();
            return rows.size() == 0 ? null : rows.iterator().next().getUUID("alert_id").toString();
        }, id -> id != null);
    }

    /**
     * No sanction of the pharmacy was written: none waits in the outbox, and none is on the topic (the
     * relay deletes a row only after the broker acknowledged it, so a sanction is always in one of the two).
     */
    private void assertNoSanctionSent(String code) {
        assertThat(count("SELECT count(*) FROM outbox WHERE topic = $1 AND msg_key = $2", Topics.SANCTIONS, code)).isZero();
        assertThat(KafkaIO.read(Topics.SANCTIONS)).noneMatch(r -> code.equals(r.key()));
    }

    /** Waits until {@code n} sanctions of the pharmacy are on the topic, and checks there are not more. */
    private static List<ConsumerRecord<String, String>> awaitSanctions(String code, int n) {
        List<ConsumerRecord<String, String>> found = await().atMost(WAIT).until(
                () -> KafkaIO.read(Topics.SANCTIONS).stream().filter(r -> code.equals(r.key())).toList(), l -> l.size() >= n);
        assertThat(found).hasSize(n);
        assertThat(found).allMatch(r -> code.equals(KafkaIO.tree(r.value()).get("pharmacyCode").asText()));
        return found;
    }

    private void insertConfirmedCase(OffsetDateTime confirmedAt) {
        pool.preparedQuery("INSERT INTO audit_case (case_id, pharmacy_code, region_code, title, status, opened_by, opened_at, closed_by,"
                        + " closed_at, violating_amount, category, severe) VALUES ($1, $2, $3, 'earlier case', 'CONFIRMED', 'auditor-x', $4,"
                        + " 'auditor-y', $5, 10.00, 'GHOST_SWIPES', false)")
                .execute(Tuple.of("C-" + UUID.randomUUID(), pharmacy, REGION, confirmedAt.minusDays(10), confirmedAt))
                .await().indefinitely();
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params))).await().indefinitely().iterator().next().getLong(0);
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> names = new HashSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
