package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.common.events.SanctionRequested;
import cn.pharmacyclaims.common.events.SanctionRequested.Level;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static cn.pharmacyclaims.agreement.Fixtures.today;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** AUD-21: sanctions from audit.sanctions, applied through the agreement lifecycle, exactly once. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class SanctionTest {
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static SanctionRequested sanction(String id, String code, Level level, boolean referral, String caseId, String reason,
                                      OffsetDateTime decidedAt) {
        return new SanctionRequested(id, code, code.length() > 7 ? code.substring(1, 7) : null, level, referral, caseId, reason, 1,
                "auditor-chen", decidedAt, SanctionRequested.SCHEMA_VERSION, null);
    }

    static void send(SanctionRequested s) throws Exception {
        producer.send(new ProducerRecord<>(Topics.SANCTIONS, s.pharmacyCode(), Json.write(s))).get();
    }

    static JsonPath awaitView(String code, Predicate<JsonPath> until) {
        JsonPath[] last = new JsonPath[1];
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = given().get("/api/v1/pharmacies/" + code).then().statusCode(200).extract().jsonPath();
            return until.test(last[0]);
        });
        return last[0];
    }

    static String id() {
        return "S-" + UUID.randomUUID();
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void aud21_interviewThenHoldThenSuspension_eachAppliedOnce_withTheRollingCount() throws Exception {
        String code = Fixtures.importActive();
        String interview = id();
        // decided on 2025-01-20: the rectification deadline of 30 working days crosses the 2025 Spring Festival
        send(sanction(interview, code, Level.INTERVIEW, false, "C-1-" + code, "first confirmed case",
                OffsetDateTime.of(2025, 1, 20, 10, 0, 0, 0, ZoneOffset.ofHours(8))));
        JsonPath v = awaitView(code, j -> j.getList("sanctions").size() == 1);
        assertThat(v.getBoolean("sanctions[0].applied")).isTrue();
        assertThat(v.getString("sanctions[0].rectificationDue")).isEqualTo("2025-03-07");
        assertThat(v.getString("deadlines.find { it.kind == 'RECTIFICATION' }.dueDate")).isEqualTo("2025-03-07");
        assertThat(v.getString("status")).isEqualTo("ACTIVE");

        String hold = id();
        SanctionRequested holdSanction = sanction(hold, code, Level.SETTLEMENT_HOLD, false, "C-2-" + code, "second confirmed case",
                OffsetDateTime.now(ZoneOffset.ofHours(8)).minusDays(2));
        send(holdSanction);
        send(holdSanction); // redelivered: applied once
        send(sanction(id(), code, Level.SUSPENSION, false, "C-3-" + code, "third confirmed case", OffsetDateTime.now(ZoneOffset.ofHours(8))));
        v = awaitView(code, j -> j.getList("sanctions").size() == 3);
        assertThat(v.getString("status")).isEqualTo("SUSPENDED");
        assertThat(v.getBoolean("settlementHold")).isTrue();
        assertThat(v.getList("history.action")).containsExactly("IMPORT", "SETTLEMENT_HOLD", "SUSPEND");
        assertThat(v.getString("history[1].actor")).isEqualTo("audit:auditor-chen");
        assertThat(v.getString("history[1].source")).isEqualTo("SANCTION");
        assertThat(v.getString("history[1].reason")).contains("second confirmed case").contains("C-2-" + code).contains(hold);
        // the first case was decided more than 12 months ago
        assertThat(v.getInt("confirmedCasesIn12Months")).isEqualTo(2);
        assertThat(v.getBoolean("policeReferral")).isFalse();

        // the interview's rectification is recorded by an officer; a hold is lifted with lift-hold
        given().contentType("application/json").body(Map.of("rectifiedOn", "2025-03-01", "reason", "rectification report accepted"))
                .post("/api/v1/pharmacies/" + code + "/sanctions/" + interview + "/rectified").then().statusCode(200)
                .body("rectifiedOn", equalTo("2025-03-01")).body("rectifiedBy", equalTo("officer-wang"));
        given().contentType("application/json").body(Map.of()).post("/api/v1/pharmacies/" + code + "/sanctions/" + interview + "/rectified")
                .then().statusCode(409).body("code", equalTo("ALREADY_RECTIFIED"));
        given().contentType("application/json").body(Map.of()).post("/api/v1/pharmacies/" + code + "/sanctions/" + hold + "/rectified")
                .then().statusCode(409).body("code", equalTo("NO_RECTIFICATION_DEADLINE"));
        given().get("/api/v1/pharmacies/" + code).then()
                .body("deadlines.find { it.kind == 'RECTIFICATION' }.status", equalTo("MET"));
    }

    /**
     * The view is read in one snapshot: polled by four clients while interviews are applied, a sanction never shows without the
     * deadline written in its transaction (read one statement at a time, the deadline read could miss what the sanction read saw).
     */
    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void aud21_viewPolledWhileInterviewsApply_neverShowsASanctionWithoutItsDeadline() throws Exception {
        ExecutorService pollers = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 12; i++) {
                String code = Fixtures.importActive();
                List<Future<String>> views = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    views.add(pollers.submit(() -> {
                        for (int polls = 0; polls < 2000; polls++) {
                            JsonPath v = given().get("/api/v1/pharmacies/" + code).then().statusCode(200).extract().jsonPath();
                            int sanctions = v.getList("sanctions").size();
                            if (v.getList("deadlines").size() != sanctions) {
                                return sanctions + " sanction(s) beside " + v.getList("deadlines").size() + " deadline(s)";
                            }
                            if (sanctions == 1) {
                                return "consistent";
                            }
                        }
                        return "the sanction never showed";
                    }));
                }
                send(sanction(id(), code, Level.INTERVIEW, false, "C-S-" + code, "snapshot check", OffsetDateTime.now(ZoneOffset.ofHours(8))));
                for (Future<String> view : views) {
                    assertThat(view.get(60, TimeUnit.SECONDS)).as(code).isEqualTo("consistent");
                }
            }
        } finally {
            pollers.shutdownNow();
        }
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void aud21_terminationWithPoliceReferral_thenASanctionThatCannotApplyIsRecordedNotRetried() throws Exception {
        String code = Fixtures.importActive();
        send(sanction(id(), code, Level.TERMINATION, true, "C-9-" + code, "cashing out of the fund confirmed",
                OffsetDateTime.now(ZoneOffset.ofHours(8))));
        JsonPath v = awaitView(code, j -> "TERMINATED".equals(j.getString("status")));
        assertThat(v.getString("agreement.terminationGround")).isEqualTo("CASHING_OUT");
        assertThat(v.getBoolean("policeReferral")).isTrue();
        assertThat(v.getBoolean("sanctions[0].policeReferral")).isTrue();
        assertThat(v.getString("sanctions[0].ground")).isEqualTo("CASHING_OUT");
        // AGR-12: 3 years after termination for illegal acts
        assertThat(v.getString("bans[0].untilDate")).isEqualTo(today().plusYears(3).toString());
        given().queryParam("regionCode", code.substring(1, 7)).get("/api/v1/public/pharmacies/terminated").then()
                .body("code", org.hamcrest.Matchers.hasItem(code));

        String late = id();
        send(sanction(late, code, Level.SUSPENSION, false, "C-10-" + code, "fourth case", OffsetDateTime.now(ZoneOffset.ofHours(8))));
        v = awaitView(code, j -> j.getList("sanctions").size() == 2);
        assertThat(v.getBoolean("sanctions[1].applied")).isFalse();
        assertThat(v.getString("sanctions[1].outcome")).contains("not applied").contains("TERMINATED");
        assertThat(v.getList("history")).hasSize(2);
        assertThat(v.getString("records.find { it.action == 'NOT_APPLIED' }.subjectId")).isEqualTo(late);
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void aud21_aSanctionForAnUnknownPharmacyIsRecordedAsNotApplied() throws Exception {
        String unknown = Fixtures.code();
        send(sanction(id(), unknown, Level.SETTLEMENT_HOLD, false, "C-x", "x", OffsetDateTime.now(ZoneOffset.ofHours(8))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get("/api/v1/pharmacies/" + unknown + "/sanctions").then().extract().jsonPath().getList("").size() == 1);
        given().get("/api/v1/pharmacies/" + unknown + "/sanctions").then().body("", hasSize(1))
                .body("[0].applied", equalTo(false)).body("[0].outcome", containsString("no pharmacy"));
        given().get("/api/v1/pharmacies/" + unknown).then().statusCode(404);
    }
}
