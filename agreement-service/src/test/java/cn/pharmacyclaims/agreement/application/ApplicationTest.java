package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.agreement.TestClock;
import cn.pharmacyclaims.agreement.TopicProbe;
import cn.pharmacyclaims.agreement.lifecycle.AgreementScheduler;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
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
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** AGR-01 .. AGR-05 and AGR-12 through the staff API, on the real database and broker. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class ApplicationTest {
    static final String OFFICER = "officer-wang";
    /** Every application's legal representative is its own person (bans are per person, the database is shared). */
    static String legalRepOf(String code) {
        return "4401021990" + code.substring(code.length() - 8);
    }

    @Inject
    TestClock clock;
    @Inject
    AgreementScheduler scheduler;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static Map<String, Object> application(String kind, String code, String receivedOn) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        body.put("pharmacyCode", code);
        body.put("pharmacy", Map.of("name", "New Pharmacy " + code, "address", "8 Market Street", "lat", 23.1, "lon", 113.3,
                "businessHours", "08:00-21:00"));
        body.put("legalRepresentative", Map.of("idType", "ID_CARD", "idNumber", code.length() > 8 ? legalRepOf(code) : "X1234"));
        body.put("actualController", Map.of("idType", "ID_CARD", "idNumber", "44010219800101" + String.format("%04d", Math.floorMod(code.hashCode(), 10000))));
        body.put("preconditions", Map.of("licenceNumber", "粤AA0201234", "monthsAtAddress", 6, "pharmacists", 2, "insuranceManager", true,
                "onlineSettlement", true));
        if (receivedOn != null) {
            body.put("receivedOn", receivedOn);
        }
        return body;
    }

    static ValidatableResponse submit(Map<String, Object> body) {
        return given().contentType("application/json").body(body).post("/api/v1/applications").then();
    }

    static ValidatableResponse step(long id, String step, Map<String, Object> body) {
        return given().contentType("application/json").body(body).post("/api/v1/applications/" + id + "/" + step).then();
    }

    static long id(ValidatableResponse r) {
        return r.extract().jsonPath().getLong("id");
    }

    @Test
    @TestSecurity(user = OFFICER, roles = "agency-officer")
    void agr01_agr02_agr03_agr04_fromReceiptAcrossSpringFestival2026ToASignedPublishedAgreement() {
        String region = Fixtures.region();
        String code = Fixtures.code(region);
        long id = id(submit(application("NEW", code, "2026-02-12")).statusCode(201)
                .body("status", equalTo("UNDER_EVALUATION"))
                .body("regionCode", equalTo(region))
                .body("legalRepresentative", equalTo("ID_CARD:440*************" + code.substring(code.length() - 2)))
                // AGR-02: 5 working days; the make-up Saturday 2026-02-14 counts, 02-15..02-23 are off
                .body("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }.dueDate", equalTo("2026-02-26"))
                .body("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }.provisional", equalTo(false))
                // AGR-03: 3 months from acceptance
                .body("deadlines.find { it.kind == 'EVALUATION' }.dueDate", equalTo("2026-05-12"))
                .body("history[0].action", equalTo("ACCEPT"))
                .body("history[0].actor", equalTo(OFFICER)));

        step(id, "incomplete-notice", Map.of("issuedOn", "2026-02-13", "missingItems", List.of("licence copy", "pharmacist certificate")))
                .statusCode(200).body("status", equalTo("MATERIALS_INCOMPLETE"))
                .body("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }.status", equalTo("MET"))
                .body("deadlines.find { it.kind == 'EVALUATION' }.status", equalTo("PAUSED"));
        // AGR-02: everything missing in one notice
        step(id, "incomplete-notice", Map.of("missingItems", List.of("more"))).statusCode(409)
                .body("code", equalTo("ILLEGAL_TRANSITION")).body("currentStatus", equalTo("MATERIALS_INCOMPLETE"))
                .body("action", equalTo("incomplete-notice")).body("applicationId", equalTo((int) id));
        // dates in the wrong order: the supplement cannot arrive before the notice
        step(id, "supplement", Map.of("receivedOn", "2026-02-12")).statusCode(400).body("errors[0].field", equalTo("receivedOn"));

        // AGR-03: the 20 days of supplement time do not count: 2026-05-12 + 20 days
        step(id, "supplement", Map.of("receivedOn", "2026-03-05")).statusCode(200)
                .body("status", equalTo("UNDER_EVALUATION")).body("pausedDays", equalTo(20))
                .body("deadlines.find { it.kind == 'EVALUATION' }.dueDate", equalTo("2026-06-01"))
                .body("deadlines.find { it.kind == 'EVALUATION' }.shiftDays", equalTo(20))
                .body("deadlines.find { it.kind == 'EVALUATION' }.status", equalTo("OPEN"));

        step(id, "sign", Map.of()).statusCode(409).body("currentStatus", equalTo("UNDER_EVALUATION")).body("action", equalTo("sign"));

        step(id, "evaluation", Map.of("result", "FAIL", "reasons", "no insurance manager on duty", "deliveredOn", "2026-04-01"))
                .statusCode(200).body("status", equalTo("FAILED")).body("reEvaluationFrom", equalTo("2026-07-01"))
                .body("deadlines.find { it.kind == 'EVALUATION' }.status", equalTo("MET"));
        step(id, "withdraw", Map.of("reason", "escape the second evaluation")).statusCode(409);

        // today is past 2026-07-01: the re-evaluation starts today with its own 3 months
        step(id, "re-evaluation", Map.of("reason", "rectified")).statusCode(200)
                .body("status", equalTo("UNDER_EVALUATION")).body("evaluationRound", equalTo(2))
                .body("deadlines.findAll { it.kind == 'EVALUATION' }", hasSize(2))
                .body("deadlines.find { it.kind == 'EVALUATION' && it.round == 2 }.dueDate", equalTo(today().plusMonths(3).toString()));
        step(id, "evaluation", Map.of("result", "PASS", "reasons", "manager hired")).statusCode(200).body("status", equalTo("PASSED"));

        try (TopicProbe probe = new TopicProbe(Topics.PHARMACY_STATUS, code)) {
            step(id, "sign", Map.of("reason", "negotiated")).statusCode(200)
                    .body("status", equalTo("SIGNED"))
                    .body("termFrom", equalTo(today().toString()))
                    .body("termTo", equalTo(today().plusMonths(12).minusDays(1).toString()))
                    .body("agreementId", not(nullValue()))
                    .body("history.action", contains("ACCEPT", "NOTICE_INCOMPLETE", "SUPPLEMENT_RECEIVED", "EVALUATE", "RE_EVALUATE",
                            "EVALUATE", "SIGN"));
            PharmacyStatusChanged e = Json.read(probe.awaitCount(1).get(0).value(), PharmacyStatusChanged.class);
            assertThat(e.status()).isEqualTo(PharmacyStatus.ACTIVE);
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.name()).isEqualTo("New Pharmacy " + code);
        }
        given().get("/api/v1/pharmacies/" + code).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("agreement.validFrom", equalTo(today().toString()))
                .body("history[0].action", equalTo("SIGN")).body("history[0].source", equalTo("APPLICATION"))
                .body("history[0].ruleId", equalTo("AGR-04")).body("applications[0].status", equalTo("SIGNED"));
        given().queryParam("regionCode", region).get("/api/v1/public/pharmacies").then().body("code", contains(code));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = "agency-officer")
    void agr02_acrossSpringFestival2025_materialsCompleteMeetsTheNoticeDeadline() {
        long id = id(submit(application("NEW", Fixtures.code(Fixtures.region()), "2025-01-24")).statusCode(201)
                // 2025-01-26 is a make-up Sunday; 01-28..02-04 off
                .body("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }.dueDate", equalTo("2025-02-07")));
        step(id, "materials-complete", Map.of("confirmedOn", "2025-01-26")).statusCode(200)
                .body("materialsCompleteOn", equalTo("2025-01-26"))
                .body("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }.status", equalTo("MET"))
                .body("deadlines.find { it.kind == 'INCOMPLETE_NOTICE' }.late", equalTo(false));
        step(id, "incomplete-notice", Map.of("missingItems", List.of("x"))).statusCode(409);
    }

    @Test
    @TestSecurity(user = OFFICER, roles = "agency-officer")
    void agr03_agr12_aSecondFailBansTheApplicantForAYear() {
        String code = Fixtures.code(Fixtures.region());
        LocalDate received = today().minusMonths(5);
        LocalDate delivered = today().minusMonths(4);
        long id = id(submit(application("NEW", code, received.toString())).statusCode(201));
        step(id, "evaluation", Map.of("result", "FAIL", "reasons", "x", "deliveredOn", delivered.toString())).statusCode(200);
        step(id, "re-evaluation", Map.of()).statusCode(200);
        step(id, "evaluation", Map.of("result", "FAIL", "reasons", "still no pharmacist", "deliveredOn", today().toString())).statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("deadlines.findAll { it.status == 'OPEN' }", empty());
        given().queryParam("pharmacyCode", code).get("/api/v1/bans").then().statusCode(200)
                .body("", hasSize(1)).body("[0].subject", equalTo("PHARMACY:" + code))
                .body("[0].untilDate", equalTo(today().plusYears(1).toString())).body("[0].ruleId", equalTo("AGR-12"));

        submit(application("NEW", code, null)).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("APPLICANT_BARRED")).body("errors[0].field", equalTo("pharmacyCode"))
                .body("errors[0].message", containsString(today().plusYears(1).toString()));
        given().queryParam("pharmacyCode", code).get("/api/v1/applications").then().body("", hasSize(1));
        step(id, "re-evaluation", Map.of()).statusCode(409).body("detail", containsString("final"));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"agency-officer", "admin"})
    void agr01_unmetPreconditionsBansAndDishonestListingsRefuseTheApplicationAndStoreNothing() {
        String code = Fixtures.code(Fixtures.region());
        Map<String, Object> weak = application("NEW", code, null);
        weak.put("preconditions", Map.of("licenceNumber", "", "monthsAtAddress", 2, "pharmacists", 0, "insuranceManager", false,
                "onlineSettlement", true));
        submit(weak).statusCode(422).contentType("application/problem+json").body("code", equalTo("PRECONDITIONS_NOT_MET"))
                .body("errors.field", contains("preconditions.licenceNumber", "preconditions.monthsAtAddress", "preconditions.pharmacists",
                        "preconditions.insuranceManager"));

        Map<String, Object> bad = application("NEWISH", "P12", "2099-01-01");
        bad.remove("legalRepresentative");
        submit(bad).statusCode(400).body("errors.field", contains("kind", "pharmacyCode", "legalRepresentative", "receivedOn"));

        // AGR-12: the legal representative caused another pharmacy's termination (5 years, recorded by an officer)
        String other = Fixtures.importActive();
        given().contentType("application/json").body(Map.of("subjectType", "PERSON", "pharmacyCode", other, "idType", "ID_CARD",
                        "idNumber", legalRepOf(code), "personRole", "KEY_PERSON", "years", 5, "reason", "caused the termination of " + other))
                .post("/api/v1/bans").then().statusCode(201)
                .body("subject", equalTo("PERSON:ID_CARD:440*************" + code.substring(code.length() - 2)))
                .body("untilDate", equalTo(today().plusYears(5).toString()));
        submit(application("NEW", code, null)).statusCode(409).body("code", equalTo("APPLICANT_BARRED"))
                .body("errors[0].field", equalTo("legalRepresentative.idNumber"))
                .body("errors[0].message", containsString("440*************" + code.substring(code.length() - 2)))
                .body("errors[0].message", not(containsString(legalRepOf(code))));

        // AGR-01: a dishonest party (失信), imported by an admin
        String listed = Fixtures.code(Fixtures.region());
        given().contentType("application/json").body(List.of(Map.of("subjectType", "PHARMACY", "pharmacyCode", listed,
                        "listedOn", "2026-01-01", "source", "credit China list")))
                .post("/api/v1/admin/dishonest-parties").then().statusCode(200).body("created", equalTo(1));
        Map<String, Object> listedApp = application("NEW", listed, null);
        listedApp.put("legalRepresentative", Map.of("idType", "PASSPORT", "idNumber", "E1234567" + listed.substring(8)));
        submit(listedApp).statusCode(409).body("errors[0].field", equalTo("pharmacyCode"))
                .body("errors[0].message", containsString("dishonest"));

        for (String c : List.of(code, listed)) {
            given().queryParam("pharmacyCode", c).get("/api/v1/applications").then().statusCode(200).body("", empty());
        }
        given().contentType("application/json").body(List.of(Map.of("subjectType", "ROBOT", "listedOn", "2026-13-01")))
                .post("/api/v1/admin/dishonest-parties").then().statusCode(400)
                .body("errors.field", contains("[0].subjectType", "[0].listedOn", "[0].source"));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"agency-officer", "admin"})
    void agr05_aRenewalInTheWindowIsSignedAndStartsItsTermWhenTheOldOneEnds_noRenewalBeforeTheWindow() {
        String region = Fixtures.region();
        String renewing = Fixtures.code(region);
        String early = Fixtures.code(region);
        LocalDate validTo = today().plusMonths(2);
        Fixtures.importRows(List.of(
                Fixtures.row(renewing, region, "ACTIVE", "GENERAL", validTo.minusYears(1).plusDays(1), validTo),
                Fixtures.row(early, region, "ACTIVE", "GENERAL", today().minusMonths(6), today().plusMonths(5))));

        submit(application("RENEWAL", early, null)).statusCode(409).body("code", equalTo("RENEWAL_WINDOW_NOT_OPEN"))
                .body("detail", containsString(today().plusMonths(5).minusMonths(3).toString()));
        submit(application("NEW", early, null)).statusCode(409).body("code", equalTo("ALREADY_DESIGNATED"));
        submit(application("RENEWAL", Fixtures.code(region), null)).statusCode(404);

        long id = id(submit(application("RENEWAL", renewing, null)).statusCode(201).body("pharmacy", nullValue()));
        submit(application("RENEWAL", renewing, null)).statusCode(409).body("code", equalTo("APPLICATION_OPEN"));
        step(id, "materials-complete", Map.of()).statusCode(200);
        step(id, "evaluation", Map.of("result", "PASS", "reasons", "good year")).statusCode(200);
        step(id, "sign", Map.of()).statusCode(200)
                .body("status", equalTo("SIGNED")).body("agreementId", nullValue())
                .body("termFrom", equalTo(validTo.plusDays(1).toString()))
                .body("termTo", equalTo(validTo.plusDays(1).plusMonths(12).minusDays(1).toString()));

        given().contentType("application/json").body(Map.of("reason", "x")).post("/api/v1/pharmacies/" + renewing + "/suspend").then()
                .statusCode(200);
        given().contentType("application/json").body(Map.of("reason", "x")).post("/api/v1/pharmacies/" + renewing + "/resume").then()
                .statusCode(200);

        clock.advance(Duration.ofDays(ChronoUnit.DAYS.between(today(), validTo) + 1));
        AgreementScheduler.Run run = scheduler.runOnce().await().indefinitely();
        assertThat(run.renewed()).isGreaterThanOrEqualTo(1);
        given().get("/api/v1/applications/" + id).then().body("agreementId", not(nullValue())).body("history.action", hasItem("START_TERM"));
        given().get("/api/v1/pharmacies/" + renewing).then()
                .body("status", equalTo("ACTIVE"))
                .body("agreement.validFrom", equalTo(validTo.plusDays(1).toString()))
                // AGR-09: the new term counts its own suspensions
                .body("agreement.suspensionsInTerm", equalTo(0))
                .body("history[-1].action", equalTo("RENEW"))
                .body("history[-1].source", equalTo("APPLICATION"))
                .body("history[-1].ruleId", equalTo("AGR-05"));
        given().get("/api/v1/pharmacies/" + early).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"agency-officer", "admin"})
    void agr05_agr07_aSignedRenewalOfAnAgreementSuspendedAtItsEndLapses_andTheAgreementExpires() {
        String region = Fixtures.region();
        String code = Fixtures.code(region);
        LocalDate validTo = today().plusMonths(1);
        Fixtures.importRows(List.of(Fixtures.row(code, region, "ACTIVE", "GENERAL", validTo.minusYears(1).plusDays(1), validTo)));
        long id = id(submit(application("RENEWAL", code, null)).statusCode(201));
        step(id, "evaluation", Map.of("result", "PASS", "reasons", "ok")).statusCode(200);
        step(id, "sign", Map.of()).statusCode(200);
        given().contentType("application/json").body(Map.of("reason", "no data")).post("/api/v1/pharmacies/" + code + "/suspend").then()
                .statusCode(200);

        clock.advance(Duration.ofDays(ChronoUnit.DAYS.between(today(), validTo) + 1));
        scheduler.runOnce().await().indefinitely();
        given().get("/api/v1/applications/" + id).then().body("status", equalTo("LAPSED"))
                .body("history[-1].detail", containsString("AGR-07"));
        given().get("/api/v1/pharmacies/" + code).then().body("status", equalTo("EXPIRED")).body("history[-1].ruleId", equalTo("AGR-07"));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = "agency-officer")
    void unknownApplicationIs404_aNewApplicationOfAnUnknownPharmacyNeedsItsDetails() {
        step(987654321L, "sign", Map.of()).statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/applications/987654321").then().statusCode(404);
        Map<String, Object> body = application("NEW", Fixtures.code(Fixtures.region()), null);
        body.remove("pharmacy");
        submit(body).statusCode(400).body("errors[0].field", equalTo("pharmacy"));
    }
}
