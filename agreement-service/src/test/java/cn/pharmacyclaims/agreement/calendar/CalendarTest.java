package cn.pharmacyclaims.agreement.calendar;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.agreement.TopicProbe;
import cn.pharmacyclaims.common.calendar.YearCalendar;
import cn.pharmacyclaims.common.events.CalendarYearLoaded;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * SET-04 / AGR-02 / AGR-06: the statutory calendar API. The year 2027 is loaded by exactly one test
 * (a year is loaded at most once, and the database lives for the whole test run); the other tests use
 * years nobody loads.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class CalendarTest {

    static final String YEAR_2027 = """
            year 2027
            source test notice for 2027
            off  2027-01-01..2027-01-03   # New Year's Day
            off  2027-02-06..2027-02-14   # Spring Festival
            work 2027-02-20               # Saturday
            """;

    static JsonPath workingDays(String from, Object n) {
        return given().queryParam("from", from).queryParam("n", n).get("/api/v1/calendar/working-days").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = "agency-officer")
    void set04_deadlinesAcrossSpringFestivalAndNationalDayOnTheBundledCalendar() {
        JsonPath spring = workingDays("2026-02-12", 5); // 2026-02-14 make-up Saturday counts; 02-15..02-23 off
        assertThat(spring.getString("date")).isEqualTo("2026-02-26");
        assertThat(spring.getBoolean("provisional")).isFalse();
        JsonPath national = workingDays("2025-09-25", 30); // 09-28 Sunday and 10-11 Saturday are make-up days; 10-01..10-08 off
        assertThat(national.getString("date")).isEqualTo("2025-11-12");
        assertThat(workingDays("2025-01-24", 5).getString("date")).isEqualTo("2025-02-07");
        assertThat(workingDays("2026-09-24", 30).getString("date")).isEqualTo("2026-11-12");
        assertThat(workingDays("2030-06-03", 5).getBoolean("provisional")).isTrue();

        given().queryParam("from", "yesterday").queryParam("n", -1).get("/api/v1/calendar/working-days").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("from", "n"));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = {"admin", "agency-officer"})
    void set04_aProvisionalDeadlineBecomesFinalWhenTheNextYearIsLoaded_andTheLoadIsPublished() {
        String code = Fixtures.importActive();
        // AGR-06: 30 working days from 2026-11-20 end in 2027, whose calendar is not published: weekdays only
        JsonPath change = given().contentType("application/json")
                .body(Map.of("items", List.of("NAME"), "description", "renamed", "approvedOn", "2026-11-20"))
                .post("/api/v1/pharmacies/" + code + "/key-changes").then().statusCode(201).extract().jsonPath();
        assertThat(change.getString("filingDue")).isEqualTo("2027-01-01");
        assertThat(change.getBoolean("filingDueProvisional")).isTrue();
        long deadlineId = change.getLong("deadlineId");

        try (TopicProbe probe = new TopicProbe(Topics.CALENDAR_YEARS, "2027")) {
            JsonPath loaded = given().contentType("text/plain").body(YEAR_2027).post("/api/v1/admin/calendar/years").then()
                    .statusCode(201).header("Location", containsString("/api/v1/calendar/years/2027"))
                    .body("year.year", equalTo(2027)).body("year.origin", equalTo("LOADED")).body("year.loadedBy", equalTo("admin-li"))
                    .extract().jsonPath();
            Map<String, Object> recomputed = loaded.<Map<String, Object>>getList("recomputed").stream()
                    .filter(r -> ((Number) r.get("deadlineId")).longValue() == deadlineId).findFirst().orElseThrow();
            assertThat(recomputed).containsEntry("dueBefore", "2027-01-01").containsEntry("dueAfter", "2027-01-04")
                    .containsEntry("provisionalBefore", true).containsEntry("provisionalAfter", false);

            given().get("/api/v1/pharmacies/" + code + "/key-changes").then().statusCode(200)
                    .body("[0].filingDue", equalTo("2027-01-04")).body("[0].filingDueProvisional", equalTo(false));
            given().get("/api/v1/pharmacies/" + code).then()
                    .body("records.findAll { it.action == 'RECOMPUTED' }.detail", hasItem(containsString("2027-01-01 (provisional) -> 2027-01-04 (final)")))
                    .body("records.findAll { it.action == 'RECOMPUTED' }.actor", hasItem(equalTo("admin-li")));
            given().queryParam("from", "2026-11-20").queryParam("n", 30).get("/api/v1/calendar/working-days").then()
                    .body("date", equalTo("2027-01-04")).body("provisional", equalTo(false));

            CalendarYearLoaded event = Json.read(probe.awaitCount(1).get(0).value(), CalendarYearLoaded.class);
            assertThat(event.year()).isEqualTo(2027);
            assertThat(event.loadedBy()).isEqualTo("admin-li");
            YearCalendar published = YearCalendar.parse(event.calendarText());
            assertThat(published.offDays()).contains(LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 10));
            assertThat(published.makeUpWorkDays()).containsExactly(LocalDate.of(2027, 2, 20));
        }

        given().get("/api/v1/calendar/years").then().statusCode(200)
                .body("find { it.year == 2027 }.origin", equalTo("LOADED"))
                .body("find { it.year == 2026 }.origin", equalTo("BUNDLED"));
        // a year is loaded at most once
        given().contentType("text/plain").body(YEAR_2027).post("/api/v1/admin/calendar/years").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("CALENDAR_YEAR_EXISTS"));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void set04_aBadCalendarIs400NamingEveryProblemAndLoadsNothing_aPublishedYearIs409() {
        given().contentType("text/plain").body("year 2033\nsource notice\noff 2032-12-31\nwork 2033-01-03\n")
                .post("/api/v1/admin/calendar/years").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("line 3", "line 4"))
                .body("errors[0].message", containsString("outside year 2033"))
                .body("errors[1].message", containsString("MONDAY"));
        given().contentType("application/json")
                .body(Map.of("year", 2033, "offDays", List.of("2034-01-01", "not-a-date"), "makeUpWorkDays", List.of(), "source", "n"))
                .post("/api/v1/admin/calendar/years").then().statusCode(400)
                .body("errors.field", contains("offDays[0]", "offDays[1]"));
        given().get("/api/v1/calendar/years").then().body("year", not(hasItem(2033)));
        given().get("/api/v1/calendar/years/2033").then().statusCode(404);

        given().contentType("text/plain").body("year 2026\nsource again\noff 2026-01-01\n").post("/api/v1/admin/calendar/years").then()
                .statusCode(409).body("code", equalTo("CALENDAR_YEAR_EXISTS")).body("detail", containsString("gov.cn"));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void set04_aJsonYearIsLoaded() {
        given().contentType("application/json")
                .body(Map.of("year", 2034, "offDays", List.of("2034-01-02"), "makeUpWorkDays", List.of("2034-01-07"), "source", "json notice"))
                .post("/api/v1/admin/calendar/years").then().statusCode(201).body("year.offDays", contains("2034-01-02"));
        given().get("/api/v1/calendar/years/2034").then().statusCode(200).body("source", equalTo("json notice"))
                .body("makeUpWorkDays", contains("2034-01-07"));
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = "agency-officer")
    void sec02_onlyAdminsLoadCalendars() {
        given().contentType("text/plain").body("year 2035\nsource n\noff 2035-01-01\n").post("/api/v1/admin/calendar/years").then()
                .statusCode(403);
    }
}
