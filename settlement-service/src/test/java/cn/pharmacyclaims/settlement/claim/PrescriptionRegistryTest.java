package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.settlement.support.Scenario;
import cn.pharmacyclaims.settlement.support.TestClock;
import cn.pharmacyclaims.settlement.support.TestKafka;
import cn.pharmacyclaims.testinfra.DevTokens;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static cn.pharmacyclaims.settlement.support.Scenario.nowBeijing;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

/**
 * CLM-06 with the e-prescription registry ({@code POST /api/v1/admin/prescriptions}): through the
 * admin API, Kafka and the database. "An electronic prescription can be dispensed only once, and
 * only the items and quantities on it."
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class PrescriptionRegistryTest {

    @Inject
    Pool pool;

    @Inject
    SettlementStore store;

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    private static SettlementResult run(TestKafka kafka, SettlementCommand cmd) {
        kafka.send(cmd);
        SettlementReply reply = kafka.awaitReply(cmd.commandId());
        assertThat(reply.outcome()).isEqualTo(SettlementReply.Outcome.RESULT);
        return reply.result();
    }

    private long uses(Scenario s, String rxNo) {
        return s.query("SELECT count(*) AS n FROM prescription_use WHERE rx_no = $1 AND live", Tuple.of(rxNo)).iterator().next()
                .getLong("n");
    }

    @Test
    void clm06_badRowsAreAllNamed_nothingIsStored_andOnlyAnAdminMayRegister() {
        Scenario s = Scenario.ready(pool);
        String rxNo = "RXBAD" + s.region;
        Map<String, Object> good = new LinkedHashMap<>(Map.of("rxNo", rxNo, "institutionCode", s.institutionCode,
                "physicianCode", s.physicianCode, "patientPsnNo", "44" + s.region + "000000000001",
                "issuedAt", "2026-11-23T09:40:00+08:00", "items", List.of(Map.of("itemCode", "X1", "quantity", 2))));
        Map<String, Object> bad = new LinkedHashMap<>(good);
        bad.put("rxNo", rxNo + "-2");
        bad.put("issuedAt", "yesterday");
        bad.put("validDays", -1);
        bad.put("items", List.of(Map.of("itemCode", "X1", "quantity", "0"), Map.of("itemCode", "X1", "quantity", "1")));

        s.importRows("/api/v1/admin/prescriptions", List.of(good, bad))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("[1].issuedAt", "[1].validDays", "[1].items[0].quantity",
                        "[1].items[1].itemCode"));
        assertThat(s.query("SELECT count(*) AS n FROM registered_prescription WHERE rx_no = $1", Tuple.of(rxNo))
                .iterator().next().getLong("n")).isZero();

        given().auth().oauth2(DevTokens.mint("an-auditor", "auditor")).contentType(ContentType.JSON).body(List.of(good))
                .post("/api/v1/admin/prescriptions").then().statusCode(403);
        // a number as quantity is fine too; created, then updated
        s.importRows("/api/v1/admin/prescriptions", List.of(good)).statusCode(200).body("created", equalTo(1));
        s.importRows("/api/v1/admin/prescriptions", List.of(good)).statusCode(200).body("updated", equalTo(1));
    }

    @Test
    void clm06_onlyTheItemsAndQuantitiesOnARegisteredPrescriptionAreDispensed_once() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        OffsetDateTime at = nowBeijing();
        TestClock.INSTANCE.fix(at.toInstant()); // the cancel below happens on the day of sale
        String psn = s.person("EMPLOYEE", "1000.00");
        String amlodipine = s.item("A", true, null);
        String metformin = s.item("A", true, null);
        String notPrescribed = s.item("A", true, null);
        SettlementRequest.Prescription rx = s.eRx(psn, at);
        s.register(rx, amlodipine, "2", metformin, "1");

        // an item not on it, and more than prescribed: rejected, nothing used
        SettlementResult extraItem = run(kafka, s.settle(s.request(psn, at, rx,
                line(1, amlodipine, "2", "10.00", 7), line(2, notPrescribed, "1", "10.00", 7))));
        assertThat(extraItem.rejects()).extracting(SettlementResult.Reject::code, SettlementResult.Reject::lineNo)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RejectCode.RX_ITEM_NOT_PRESCRIBED, 2));
        SettlementResult tooMany = run(kafka, s.settle(s.request(psn, at, rx,
                line(1, amlodipine, "1", "10.00", 7), line(2, amlodipine, "2", "10.00", 7))));
        assertThat(tooMany.rejects()).extracting(SettlementResult.Reject::code).containsOnly(RejectCode.RX_ITEM_NOT_PRESCRIBED);
        assertThat(tooMany.rejects()).extracting(SettlementResult.Reject::lineNo).containsExactly(1, 2);
        assertThat(uses(s, rx.rxNo())).isZero();
        assertThat(s.balance(psn)).isEqualByComparingTo("1000.00");

        // within it (part of it is allowed): settled, and the registry's view counts what was dispensed
        SettlementResult settled = run(kafka, s.settle(s.request(psn, at, rx, line(1, amlodipine, "2", "10.00", 7))));
        assertThat(settled.status()).isEqualTo(SettlementStatus.SETTLED);
        assertThat(uses(s, rx.rxNo())).isEqualTo(1);
        Snapshots.RegisteredPrescription seen = registered(rx.rxNo());
        assertThat(seen.items()).containsOnlyKeys(amlodipine, metformin);
        assertThat(seen.dispensed()).containsOnlyKeys(amlodipine);
        assertThat(seen.dispensed().get(amlodipine)).isEqualByComparingTo("2");

        // dispensed once: the rest of it cannot be dispensed by another settlement
        SettlementResult again = run(kafka, s.settle(s.request(psn, at, rx, line(1, metformin, "1", "5.00", 7))));
        assertThat(again.rejects()).extracting(SettlementResult.Reject::code).containsExactly(RejectCode.RX_ALREADY_DISPENSED);

        // CLM-14: the cancellation gives the prescription back whole
        assertThat(run(kafka, s.cancel(settled.setlId())).status()).isEqualTo(SettlementStatus.CANCELLED);
        assertThat(registered(rx.rxNo()).dispensed()).isEmpty();
        SettlementResult whole = run(kafka, s.settle(s.request(psn, at, rx,
                line(1, amlodipine, "2", "10.00", 7), line(2, metformin, "1", "5.00", 7))));
        assertThat(whole.status()).isEqualTo(SettlementStatus.SETTLED);
    }

    @Test
    void clm06_theRegisteredHeaderWinsOverTheRequests() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        OffsetDateTime at = nowBeijing();
        String psn = s.person("EMPLOYEE", "100.00");
        String other = s.person("EMPLOYEE", "100.00");
        String drug = s.item("A", true, null);

        // registered for another patient; the request claims it is the insured's
        SettlementRequest.Prescription forOther = s.eRx(other, at);
        s.register(forOther, drug, "1");
        SettlementRequest.Prescription claimed = new SettlementRequest.Prescription(forOther.rxNo(), true,
                forOther.institutionCode(), forOther.physicianCode(), psn, forOther.issuedAt(), 1, null);
        assertThat(run(kafka, s.preview(s.request(psn, at, claimed, line(1, drug, "1", "10.00", 7)))).rejects())
                .extracting(SettlementResult.Reject::code).containsExactly(RejectCode.RX_PATIENT_MISMATCH);

        // registered as issued three days ago for one day; the request restates it as issued today
        SettlementRequest.Prescription rx = s.eRx(psn, at);
        s.register(new SettlementRequest.Prescription(rx.rxNo(), true, rx.institutionCode(), rx.physicianCode(), psn,
                rx.issuedAt().minusDays(3), 1, null), drug, "1");
        assertThat(run(kafka, s.preview(s.request(psn, at, rx, line(1, drug, "1", "10.00", 7)))).rejects())
                .extracting(SettlementResult.Reject::code).containsExactly(RejectCode.RX_EXPIRED);

        // an unregistered electronic prescription keeps today's behaviour: any item, any quantity
        SettlementRequest.Prescription unregistered = s.eRx(psn, at);
        assertThat(run(kafka, s.preview(s.request(psn, at, unregistered, line(1, drug, "9", "10.00", 7)))).status())
                .isEqualTo(SettlementStatus.PREVIEWED);
    }

    private Snapshots.RegisteredPrescription registered(String rxNo) {
        return store.registeredPrescriptions(pool, List.of(rxNo)).await().atMost(Duration.ofSeconds(10)).get(rxNo);
    }
}
