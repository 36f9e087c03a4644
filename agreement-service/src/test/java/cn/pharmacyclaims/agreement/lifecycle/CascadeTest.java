package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.Fixtures;
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
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.agreement.Fixtures.today;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

/** AGR-10: agreements in several regions, and the cascade of prefecture-level (or higher) decisions. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class CascadeTest {
    static final String OFFICER = "officer-wang";

    @Inject
    Pool pool;

    static ValidatableResponse act(String code, String action, Map<String, Object> body) {
        return given().contentType("application/json").body(body).post("/api/v1/pharmacies/" + code + "/" + action).then();
    }

    static ValidatableResponse addRegion(String code, String region) {
        return act(code, "agreements", Map.of("regionCode", region, "type", "GENERAL", "validFrom", today().minusMonths(1).toString(),
                "validTo", today().plusYears(1).toString(), "reason", "designated in " + region));
    }

    /**
     * The pharmacy's status events, counted on the topic once the relay has sent every one written
     * so far (it deletes an outbox row only after the broker acknowledged it).
     */
    long published(String code) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("SELECT count(*) AS n FROM outbox WHERE topic = $1 AND msg_key = $2")
                .execute(Tuple.of(Topics.PHARMACY_STATUS, code)).await().indefinitely().iterator().next().getLong("n") == 0);
        return TopicProbe.all(Topics.PHARMACY_STATUS, code).size();
    }

    /** A pharmacy at home in its region with agreements in two more regions. */
    static String[] pharmacyInThreeRegions() {
        String home = Fixtures.region();
        String r2 = Fixtures.region();
        String r3 = Fixtures.region();
        String code = Fixtures.code(home);
        Fixtures.importRows(List.of(Fixtures.row(code, home, "ACTIVE", "GENERAL", today().minusMonths(1), today().plusYears(1))));
        addRegion(code, r2).statusCode(201);
        addRegion(code, r3).statusCode(201).body("agreements", hasSize(3))
                .body("agreements.regionCode", contains(home, r2, r3))
                .body("agreements.home", contains(true, false, false));
        return new String[]{code, home, r2, r3};
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void agr10_aPrefectureSuspensionReachesEveryRegion_idempotently_andTheHomeRegionIsPublished() {
        String[] p = pharmacyInThreeRegions();
        String code = p[0];
        assertThat(published(code)).isEqualTo(1); // the import; other regions' agreements are not on the status topic

        try (TopicProbe probe = new TopicProbe(Topics.PHARMACY_STATUS, code)) {
            act(code, "suspend", Map.of("reason", "untrue data", "regionCode", p[2], "agencyLevel", "PREFECTURE")).statusCode(200)
                    .body("status", equalTo("SUSPENDED"))
                    .body("agreements.status", everyItem(equalTo("SUSPENDED")))
                    .body("history", hasSize(6))
                    .body("history[3].regionCode", equalTo(p[2])).body("history[3].source", equalTo("STAFF"))
                    .body("history[3].ruleId", equalTo("AGR-07"))
                    .body("history[4].regionCode", equalTo(p[1])).body("history[4].source", equalTo("CASCADE"))
                    .body("history[4].ruleId", equalTo("AGR-10"))
                    .body("history[4].reason", containsString("cascade from " + p[2]))
                    .body("history[4].actor", equalTo(OFFICER))
                    .body("history[5].regionCode", equalTo(p[3])).body("history[5].source", equalTo("CASCADE"));
            PharmacyStatusChanged e = Json.read(probe.awaitMatching(r -> r.value().contains("\"version\":2")).value(),
                    PharmacyStatusChanged.class);
            assertThat(e.status()).isEqualTo(PharmacyStatus.SUSPENDED);
            assertThat(e.regionCode()).isEqualTo(p[1]);
            assertThat(e.reason()).contains("cascade from " + p[2]);
        }
        assertThat(published(code)).isEqualTo(2);

        // the same decision again changes nothing and publishes nothing
        act(code, "suspend", Map.of("reason", "untrue data", "regionCode", p[2], "agencyLevel", "PREFECTURE")).statusCode(200)
                .body("history", hasSize(6)).body("version", equalTo(2));
        assertThat(published(code)).isEqualTo(2);
        // at county level a repeated suspension is an illegal transition
        act(code, "suspend", Map.of("reason", "again", "regionCode", p[3])).statusCode(409).body("currentStatus", equalTo("SUSPENDED"));

        // a resumption is per region: it does not cascade
        act(code, "resume", Map.of("reason", "data provided")).statusCode(200)
                .body("agreements.status", contains("ACTIVE", "SUSPENDED", "SUSPENDED"));

        // AGR-10 + AGR-09: a province terminates from the third region; every agreement ends, the ban is recorded once
        act(code, "terminate", Map.of("reason", "cashing out", "ground", "CASHING_OUT", "regionCode", p[3], "agencyLevel", "PROVINCE"))
                .statusCode(200)
                .body("status", equalTo("TERMINATED"))
                .body("agreements.status", everyItem(equalTo("TERMINATED")))
                .body("agreements.terminationGround", everyItem(equalTo("CASHING_OUT")))
                .body("bans", hasSize(1))
                .body("bans[0].untilDate", equalTo(today().plusYears(3).toString()));
        long afterTermination = published(code);
        act(code, "terminate", Map.of("reason", "cashing out", "ground", "CASHING_OUT", "regionCode", p[3], "agencyLevel", "PROVINCE"))
                .statusCode(200).body("history", hasSize(10));
        assertThat(published(code)).isEqualTo(afterTermination);
        act(code, "terminate", Map.of("reason", "again", "ground", "OTHER")).statusCode(409);
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void agr10_aCountySuspensionStaysInItsRegionAndPublishesNothingWhenNotHome() {
        String[] p = pharmacyInThreeRegions();
        String code = p[0];
        act(code, "suspend", Map.of("reason", "local finding", "regionCode", p[2], "agencyLevel", "COUNTY")).statusCode(200)
                .body("status", equalTo("ACTIVE"))
                .body("agreements.status", contains("ACTIVE", "SUSPENDED", "ACTIVE"))
                .body("version", equalTo(1))
                .body("history[3].version", equalTo(1));
        assertThat(published(code)).isEqualTo(1);
        // AGR-07: a pharmacy's own suspension needs 3 months' notice
        act(code, "suspend", Map.of("reason", "renovation", "requestedByPharmacy", true, "requestedOn", today().minusMonths(1).toString()))
                .statusCode(409).body("detail", containsString("from " + today().minusMonths(1).plusMonths(3)));
        // ... and never cascades, whatever level is named
        act(code, "suspend", Map.of("reason", "renovation", "requestedByPharmacy", true, "agencyLevel", "PROVINCE",
                "requestedOn", today().minusMonths(3).toString())).statusCode(200)
                .body("agreements.status", contains("SUSPENDED", "SUSPENDED", "ACTIVE"));
        given().queryParam("regionCode", p[3]).get("/api/v1/public/pharmacies").then().body("code", contains(code))
                .body("[0].regionCode", equalTo(p[3]));
    }

    @Test
    @TestSecurity(user = OFFICER, roles = {"admin", "agency-officer"})
    void agr10_badRegionRequestsAreSpecific4xxAndChangeNothing() {
        String[] p = pharmacyInThreeRegions();
        String code = p[0];
        addRegion(code, p[1]).statusCode(409).body("code", equalTo("HOME_REGION"));
        addRegion(code, p[2]).statusCode(409).body("code", equalTo("ILLEGAL_TRANSITION"));
        addRegion(Fixtures.code(), Fixtures.region()).statusCode(404);
        act(code, "agreements", Map.of("regionCode", "12", "validFrom", "2026-05-01", "validTo", "2026-04-01", "reason", " ")).statusCode(400)
                .body("errors.field", contains("regionCode", "validTo", "reason"));
        act(code, "suspend", Map.of("reason", "x", "regionCode", Fixtures.region())).statusCode(404)
                .body("detail", containsString("no agreement in region"));
        act(code, "suspend", Map.of("reason", "x", "agencyLevel", "NATION")).statusCode(400).body("errors[0].field", equalTo("agencyLevel"));
        // the import cannot move the home region onto a region where the pharmacy holds another agreement
        given().contentType("application/json")
                .body(List.of(Fixtures.row(code, p[2], "ACTIVE", "GENERAL", today().minusMonths(1), today().plusYears(1))))
                .post("/api/v1/admin/pharmacies").then().statusCode(400).body("errors.field", contains("[0].regionCode"));
        given().get("/api/v1/pharmacies/" + code).then().body("history", hasSize(3)).body("agreements", hasSize(3))
                .body("regionCode", equalTo(p[1]));
    }
}
