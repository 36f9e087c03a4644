package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.Fixtures;
import cn.pharmacyclaims.agreement.TopicProbe;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.agreement.Fixtures.code;
import static cn.pharmacyclaims.agreement.Fixtures.row;
import static cn.pharmacyclaims.agreement.Fixtures.today;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "agreement"))
class PharmacyImportTest {
    @Inject
    Pool pool;

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void agr11_goodRowsAreStoredAndEachPublishedAsFullStateThroughTheOutbox() throws Exception {
        String region = Fixtures.region();
        String a = code(region);
        String b = code(region);
        LocalDate from = today().minusMonths(2);
        LocalDate to = today().plusMonths(10);
        try (TopicProbe probe = new TopicProbe(Topics.PHARMACY_STATUS, a)) {
            given().contentType("application/json")
                    .body(List.of(row(a, region, "ACTIVE", "GENERAL", from, to), row(b, region, "SUSPENDED", "SPECIAL_DRUG", from, to)))
                    .post("/api/v1/admin/pharmacies")
                    .then().statusCode(200)
                    .body("imported", equalTo(2)).body("created", equalTo(2)).body("updated", equalTo(0)).body("unchanged", equalTo(0));

            ConsumerRecord<String, String> record = probe.awaitCount(1).get(0);
            JsonNode raw = Json.MAPPER.readTree(record.value());
            List<String> names = new ArrayList<>();
            raw.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("pharmacyCode", "name", "regionCode", "address", "lat", "lon", "businessHours",
                    "status", "agreementType", "validFrom", "validTo", "version", "changedAt", "reason");
            PharmacyStatusChanged e = Json.read(record.value(), PharmacyStatusChanged.class);
            assertThat(e.pharmacyCode()).isEqualTo(a);
            assertThat(e.name()).isEqualTo("Pharmacy " + a);
            assertThat(e.regionCode()).isEqualTo(region);
            assertThat(e.address()).isEqualTo("1 Test Road, " + region);
            assertThat(e.lat()).isEqualTo(23.10);
            assertThat(e.lon()).isEqualTo(113.30);
            assertThat(e.businessHours()).isEqualTo("08:00-22:00");
            assertThat(e.status()).isEqualTo(PharmacyStatus.ACTIVE);
            assertThat(e.agreementType()).isEqualTo("GENERAL");
            assertThat(e.validFrom()).isEqualTo(from);
            assertThat(e.validTo()).isEqualTo(to);
            assertThat(e.version()).isEqualTo(1);
            assertThat(e.changedAt().getOffset()).isEqualTo(ZoneOffset.ofHours(8));
            assertThat(e.reason()).isEqualTo("imported");
            assertThat(raw.get("validFrom").asText()).isEqualTo(from.toString());
        }
        // SEC-04: the creation is in the history, with who
        given().get("/api/v1/pharmacies/" + b).then().statusCode(200)
                .body("status", equalTo("SUSPENDED"))
                .body("agreement.type", equalTo("SPECIAL_DRUG"))
                .body("agreement.suspensionsInTerm", equalTo(1))
                .body("history", hasSize(1))
                .body("history[0].actor", equalTo("admin-li"))
                .body("history[0].action", equalTo("IMPORT"))
                .body("history[0].toStatus", equalTo("SUSPENDED"))
                .body("history[0].source", equalTo("IMPORT"));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void agr11_reimportChangesNothingAndAChangeIsPublishedWithTheNextVersion() {
        String region = Fixtures.region();
        String a = code(region);
        Map<String, Object> original = Fixtures.activeRow(a);
        try (TopicProbe probe = new TopicProbe(Topics.PHARMACY_STATUS, a)) {
            Fixtures.importRows(List.of(original));
            given().contentType("application/json").body(List.of(original)).post("/api/v1/admin/pharmacies")
                    .then().statusCode(200)
                    .body("imported", equalTo(1)).body("created", equalTo(0)).body("updated", equalTo(0)).body("unchanged", equalTo(1));

            Map<String, Object> renamed = Fixtures.activeRow(a);
            renamed.put("name", "Renamed " + a);
            renamed.put("businessHours", "00:00-24:00");
            given().contentType("application/json").body(List.of(renamed)).post("/api/v1/admin/pharmacies")
                    .then().statusCode(200).body("updated", equalTo(1)).body("created", equalTo(0));

            List<ConsumerRecord<String, String>> records = probe.awaitCount(2);
            List<PharmacyStatusChanged> events = records.stream().map(r -> Json.read(r.value(), PharmacyStatusChanged.class)).toList();
            assertThat(events).extracting(PharmacyStatusChanged::version).containsExactly(1L, 2L);
            assertThat(events.get(1).name()).isEqualTo("Renamed " + a);
            assertThat(events.get(1).businessHours()).isEqualTo("00:00-24:00");
            assertThat(events.get(1).reason()).contains("pharmacy details");
        }
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void aBadRowRejectsTheWholeCallListingEveryBadRowAndFieldAndStoresNothing() {
        String region = Fixtures.region();
        String good = code(region);
        Map<String, Object> badCode = row("X1", region, "ACTIVE", "GENERAL", today(), today().plusYears(1));
        badCode.put("lat", 200.0);
        Map<String, Object> duplicate = row(good, region, "ACTIVE", "GENERAL", today(), today().plusYears(1));
        Map<String, Object> badHours = row(code(region), "4401", "PAUSED", "GENERAL", today(), today().plusYears(1));
        badHours.put("businessHours", "22:00-06:00");
        Map<String, Object> reversed = row(code(region), region, "ACTIVE", "SPECIAL", today().plusDays(1), today());

        given().contentType("application/json")
                .body(List.of(row(good, region, "ACTIVE", "GENERAL", today(), today().plusYears(1)), badCode, duplicate, badHours, reversed))
                .post("/api/v1/admin/pharmacies")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("4 row(s)"))
                .body("detail", containsString("nothing was imported"))
                .body("errors.field", contains("[1].code", "[1].lat", "[2].code", "[3].regionCode", "[3].businessHours",
                        "[3].agreement.status", "[4].agreement.type", "[4].agreement.validTo"));

        assertThat(count("SELECT count(*) AS n FROM pharmacy WHERE region_code = $1", region)).isZero();
        // no status event: none waits in the outbox and none reached the topic (the relay deletes a row only once the broker has it)
        assertThat(count("SELECT count(*) AS n FROM outbox WHERE msg_key = $1", good)).isZero();
        assertThat(TopicProbe.all(Topics.PHARMACY_STATUS, good)).isEmpty();
        given().get("/api/v1/pharmacies/" + good).then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "admin-li", roles = {"admin", "agency-officer"})
    void agr09_anImportCannotReviveATerminatedPharmacy() {
        String a = Fixtures.importActive();
        given().contentType("application/json").body(Map.of("reason", "licence withdrawn", "ground", "LICENCE_REVOKED"))
                .post("/api/v1/pharmacies/" + a + "/terminate").then().statusCode(200);
        given().contentType("application/json").body(List.of(Fixtures.activeRow(a))).post("/api/v1/admin/pharmacies")
                .then().statusCode(400)
                .body("errors.field", contains("[0].agreement"))
                .body("errors[0].message", containsString("TERMINATED"));
        given().get("/api/v1/pharmacies/" + a).then().body("status", equalTo("TERMINATED"));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void agr05_aTermThatAlreadyEndedIsImportedAsExpired() {
        String region = Fixtures.region();
        String a = code(region);
        Fixtures.importRows(List.of(row(a, region, "ACTIVE", "GENERAL", today().minusYears(2), today().minusYears(1))));
        given().get("/api/v1/pharmacies/" + a).then().statusCode(200)
                .body("status", equalTo("EXPIRED"))
                .body("history[0].reason", containsString("AGR-05"));
    }

    @Test
    @TestSecurity(user = "admin-li", roles = "admin")
    void malformedJsonIsAProblemNamingTheField() {
        given().contentType("application/json").body("[{\"code\": \"P44010500001\", \"lat\": \"north\"}]")
                .post("/api/v1/admin/pharmacies")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("[0].lat"));
    }

    @Test
    void sec02_importNeedsAnAuthenticatedAdmin() {
        given().contentType("application/json").body(List.of(Fixtures.activeRow(code()))).post("/api/v1/admin/pharmacies")
                .then().statusCode(401);
    }

    @Test
    @TestSecurity(user = "officer-wang", roles = "agency-officer")
    void sec02_officersCannotImport() {
        given().contentType("application/json").body(List.of(Fixtures.activeRow(code()))).post("/api/v1/admin/pharmacies")
                .then().statusCode(403);
    }

    private long count(String sql, String param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely().iterator().next().getLong("n");
    }
}
