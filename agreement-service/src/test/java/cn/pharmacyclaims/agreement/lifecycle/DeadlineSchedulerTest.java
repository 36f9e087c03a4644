package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.agreement.TestClock;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.agreement.Fixtures.today;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** The scheduler's watches: overdue deadlines (exactly once across instances, catching up), reminders, renewal windows. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class DeadlineSchedulerTest {
    @Inject
    TestClock clock;
    @Inject
    AgreementScheduler scheduler;
    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static JsonPath apply(String code, LocalDate receivedOn) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "NEW");
        body.put("pharmacyCode", code);
        body.put("pharmacy", Map.of("name", "N " + code, "address", "1 Road", "lat", 23.1, "lon", 113.3, "businessHours", "08:00-20:00"));
        body.put("legalRepresentative", Map.of("idType", "PASSPORT", "idNumber", "G" + code.substring(1)));
        body.put("preconditions", Map.of("licenceNumber", "L1", "monthsAtAddress", 12, "pharmacists", 1, "insuranceManager", true,
                "onlineSettlement", true));
        body.put("receivedOn", receivedOn.toString());
        return given().contentType("application/json").body(body).post("/api/v1/applications").then().statusCode(201).extract().jsonPath();
    }

    long records(String subjectId, String action) {
        return pool.preparedQuery("SELECT count(*) AS n FROM record_history WHERE subject_type = 'DEADLINE' AND subject_id = $1 AND action = $2")
                .execute(Tuple.of(subjectId, action)).await().indefinitely().iterator().next().getLong("n");
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = "agency-officer")
    void agr02_agr03_overdueNoticesAndEvaluationsAreFlaggedExactlyOnce_evenWithTwoInstancesCatchingUp() {
        // received four months ago and never handled: both limits passed while nothing ran
        JsonPath app = apply(Fixtures.code(Fixtures.region()), today().minusMonths(4));
        List<Integer> ids = app.getList("deadlines.id");
        assertThat(ids).hasSize(2);

        Uni.join().all(scheduler.runOnce(), scheduler.runOnce()).andFailFast().await().indefinitely();
        scheduler.runOnce().await().indefinitely();

        given().get("/api/v1/applications/" + app.getLong("id")).then()
                .body("deadlines.status", org.hamcrest.Matchers.everyItem(equalTo("OVERDUE")))
                .body("status", equalTo("UNDER_EVALUATION"));
        for (Integer id : ids) {
            assertThat(records(id.toString(), "OVERDUE")).as("deadline " + id).isEqualTo(1);
        }
        // met late: closed, and it says so
        given().contentType("application/json").body(Map.of("result", "PASS", "reasons", "fine")).post("/api/v1/applications/"
                        + app.getLong("id") + "/evaluation").then().statusCode(200)
                .body("deadlines.status", org.hamcrest.Matchers.everyItem(equalTo("MET")))
                .body("deadlines.late", org.hamcrest.Matchers.everyItem(equalTo(true)));
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = "agency-officer")
    void aReminderIsRecordedOnceOnItsDay_beforeTheDeadlinePasses() {
        JsonPath app = apply(Fixtures.code(Fixtures.region()), today());
        Map<String, Object> notice = app.getMap("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }");
        LocalDate remindOn = LocalDate.parse((String) notice.get("remindOn"));
        LocalDate due = LocalDate.parse((String) notice.get("dueDate"));
        assertThat(remindOn).isAfter(today()).isBefore(due);
        String id = notice.get("id").toString();

        clock.advance(Duration.ofDays(ChronoUnit.DAYS.between(today(), remindOn) - 1));
        scheduler.runOnce().await().indefinitely();
        assertThat(records(id, "REMINDER")).isZero();

        clock.advance(Duration.ofDays(1));
        scheduler.runOnce().await().indefinitely();
        scheduler.runOnce().await().indefinitely();
        assertThat(records(id, "REMINDER")).isEqualTo(1);
        given().get("/api/v1/applications/" + app.getLong("id")).then()
                .body("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }.status", equalTo("OPEN"))
                .body("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }.remindedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    @TestSecurity(user = "admin-li", roles = {"admin", "agency-officer"})
    void agr05_theRenewalWindowOpeningIsRecordedOncePerTerm() {
        String region = Fixtures.region();
        String ending = Fixtures.code(region);
        String running = Fixtures.code(region);
        Fixtures.importRows(List.of(
                Fixtures.row(ending, region, "ACTIVE", "GENERAL", today().minusMonths(10), today().plusMonths(2)),
                Fixtures.row(running, region, "ACTIVE", "GENERAL", today().minusMonths(1), today().plusYears(1))));
        scheduler.runOnce().await().indefinitely();
        scheduler.runOnce().await().indefinitely();
        given().get("/api/v1/pharmacies/" + ending).then()
                .body("records.findAll { it.action == 'RENEWAL_WINDOW_OPEN' }", hasSize(1))
                .body("records.find { it.action == 'RENEWAL_WINDOW_OPEN' }.detail",
                        containsString("accepted from " + today().plusMonths(2).minusMonths(3)))
                .body("agreement.renewalWindowOpensOn", equalTo(today().plusMonths(2).minusMonths(3).toString()));
        given().get("/api/v1/pharmacies/" + running).then().body("records", hasSize(0));
    }
}
