package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.agreement.TestClock;
import cn.pharmacyclaims.agreement.TopicProbe;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.agreement.Fixtures.row;
import static cn.pharmacyclaims.agreement.Fixtures.today;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The time-driven rules with a controlled clock. Moving the clock forward a few days or 180 days
 * never reaches other tests' agreements (they run at least until next year), and the clock is
 * reset after each test.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class AgreementSchedulerTest {
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

    static void status(String code, String expected) {
        given().get("/api/v1/pharmacies/" + code).then().statusCode(200).body("status", equalTo(expected));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = {"admin", "agency-officer"})
    void agr05_anAgreementExpiresTheDayAfterValidTo_agr07_aSuspensionThatOutlastsTheTermToo() {
        String region = Fixtures.region();
        String ending = Fixtures.code(region);
        String suspended = Fixtures.code(region);
        String running = Fixtures.code(region);
        Fixtures.importRows(List.of(
                row(ending, region, "ACTIVE", "GENERAL", today().minusYears(1), today()),
                row(suspended, region, "SUSPENDED", "GENERAL", today().minusYears(1), today()),
                row(running, region, "ACTIVE", "GENERAL", today().minusYears(1), today().plusDays(1))));
        try (TopicProbe probe = new TopicProbe(Topics.PHARMACY_STATUS, ending)) {
            scheduler.runOnce().await().indefinitely();
            status(ending, "ACTIVE");  // valid through its last day

            clock.advance(Duration.ofDays(1));
            AgreementScheduler.Run run = scheduler.runOnce().await().indefinitely();
            assertThat(run.expired()).isGreaterThanOrEqualTo(2);

            given().get("/api/v1/pharmacies/" + ending).then()
                    .body("status", equalTo("EXPIRED"))
                    .body("version", equalTo(2))
                    .body("history[1].action", equalTo("EXPIRE"))
                    .body("history[1].fromStatus", equalTo("ACTIVE"))
                    .body("history[1].actor", equalTo("system:agreement-scheduler"))
                    .body("history[1].source", equalTo("SCHEDULER"))
                    .body("history[1].ruleId", equalTo("AGR-05"))
                    .body("history[1].reason", containsString("term ended on " + today()));
            given().get("/api/v1/pharmacies/" + suspended).then()
                    .body("status", equalTo("EXPIRED"))
                    .body("history[1].ruleId", equalTo("AGR-07"));
            status(running, "ACTIVE");

            PharmacyStatusChanged event = Json.read(probe.awaitMatching(r -> r.value().contains("\"version\":2")).value(),
                    PharmacyStatusChanged.class);
            assertThat(event.status()).isEqualTo(PharmacyStatus.EXPIRED);

            // nothing is due twice
            scheduler.runOnce().await().indefinitely();
            given().get("/api/v1/pharmacies/" + ending).then().body("version", equalTo(2));
        }
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = {"admin", "agency-officer"})
    void agr07_aPharmacyRequestedSuspensionNotResumedWithin180DaysEndsTheAgreement() {
        String region = Fixtures.region();
        String requested = Fixtures.code(region);
        String imposed = Fixtures.code(region);
        Fixtures.importRows(List.of(
                row(requested, region, "ACTIVE", "GENERAL", today().minusMonths(1), today().plusYears(2)),
                row(imposed, region, "ACTIVE", "GENERAL", today().minusMonths(1), today().plusYears(2))));
        given().contentType("application/json").body(Map.of("reason", "renovation", "requestedByPharmacy", true))
                .post("/api/v1/pharmacies/" + requested + "/suspend").then().statusCode(200);
        given().contentType("application/json").body(Map.of("reason", "no data"))
                .post("/api/v1/pharmacies/" + imposed + "/suspend").then().statusCode(200);

        clock.advance(Duration.ofDays(179));
        scheduler.runOnce().await().indefinitely();
        status(requested, "SUSPENDED");

        clock.advance(Duration.ofDays(1));
        AgreementScheduler.Run run = scheduler.runOnce().await().indefinitely();
        assertThat(run.requestedSuspensionsEnded()).isGreaterThanOrEqualTo(1);
        given().get("/api/v1/pharmacies/" + requested).then()
                .body("status", equalTo("TERMINATED"))
                .body("agreement.terminationGround", equalTo("REQUESTED_SUSPENSION_NOT_RESUMED"))
                .body("history[2].action", equalTo("END_REQUESTED_SUSPENSION"))
                .body("history[2].actor", equalTo("system:agreement-scheduler"))
                .body("history[2].ruleId", equalTo("AGR-07"))
                .body("history[2].reason", containsString("180 days"));
        status(imposed, "SUSPENDED");  // an agency suspension has no 180-day limit
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void severalInstancesRunningAtOnceHandleEachDueAgreementExactlyOnce() {
        String region = Fixtures.region();
        List<String> codes = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String code = Fixtures.code(region);
            codes.add(code);
            rows.add(row(code, region, "ACTIVE", "GENERAL", today().minusYears(1), today()));
        }
        Fixtures.importRows(rows);
        clock.advance(Duration.ofDays(1));
        // two runs at the same time, each on its own connections: SKIP LOCKED splits the rows between them
        Uni.join().all(scheduler.runOnce(), scheduler.runOnce()).andFailFast().await().indefinitely();

        for (String code : codes) {
            long expiries = pool.preparedQuery("SELECT count(*) AS n FROM agreement_status_history WHERE pharmacy_code = $1 AND action = 'EXPIRE'")
                    .execute(Tuple.of(code)).await().indefinitely().iterator().next().getLong("n");
            assertThat(expiries).as(code).isEqualTo(1);
            given().get("/api/v1/pharmacies/" + code).then().body("status", equalTo("EXPIRED")).body("version", equalTo(2));
        }
    }
}
