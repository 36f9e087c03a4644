package cn.pharmacyclaims.settlement.reference;

import cn.pharmacyclaims.settlement.support.Scenario;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** POS-API.md §4: admin import, all rows or none, every bad row and field named (SEC-02 role admin). */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class ReferenceImportTest {

    @Inject
    Pool pool;

    private static Map<String, Object> person(String psnNo, String type, String balance) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("psnNo", psnNo);
        p.put("certNos", List.of("A" + psnNo));
        p.put("insuranceType", type);
        p.put("regionCode", "440105");
        p.put("status", "ACTIVE");
        p.put("cardLost", false);
        p.put("accountBalance", balance);
        p.put("chronic", List.of(Map.of("diseaseCode", "I10", "validFrom", "2026-01-01", "validTo", "2026-12-31")));
        return p;
    }

    private long count(Scenario s, String sql, String key) {
        return s.query(sql, Tuple.of(key)).iterator().next().getLong("n");
    }

    @Test
    void badPersonRowsAreAllNamedAndNothingIsStored() {
        Scenario s = Scenario.ready(pool);
        String good = "44" + s.region + "900000000001";
        Map<String, Object> noId = person(null, "WORKER", "10.00");
        Map<String, Object> negative = person("44" + s.region + "900000000003", "EMPLOYEE", "-1.00");
        negative.put("chronic", List.of(Map.of("diseaseCode", "I10", "validFrom", "01/01/2026")));
        Map<String, Object> resident = person("44" + s.region + "900000000004", "RESIDENT", "5.00");
        resident.put("regionCode", "4401");

        s.importRows("/api/v1/admin/persons", List.of(person(good, "EMPLOYEE", "100.00"), noId, negative, resident))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", containsInAnyOrder("[1].psnNo", "[1].insuranceType", "[2].accountBalance",
                        "[2].chronic[0].validFrom", "[3].regionCode", "[3].accountBalance"));

        assertThat(count(s, "SELECT count(*) AS n FROM person WHERE psn_no = $1", good)).isZero();
        assertThat(count(s, "SELECT count(*) AS n FROM account WHERE psn_no = $1", good)).isZero();
    }

    @Test
    void badCatalogueAndPolicyRowsAreNamed() {
        Scenario s = Scenario.ready(pool);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("itemCode", "XBAD" + s.region);
        item.put("name", "");
        item.put("class", "D");
        item.put("paymentStandard", "abc");
        s.importRows("/api/v1/admin/catalogue", List.of(item, item))
                .statusCode(400)
                .body("errors.field", hasItems("[0].name", "[0].class", "[0].rx", "[0].paymentStandard", "[1].itemCode"));
        assertThat(count(s, "SELECT count(*) AS n FROM catalogue_item WHERE item_code = $1", "XBAD" + s.region)).isZero();

        Map<String, Object> policy = s.policy("2030-01-01", "1.5");
        policy.put("benefits", List.of(
                Map.of("insuranceType", "EMPLOYEE", "benefit", "CHRONIC", "deductible", "100.00", "ratio", "0.70"),
                Map.of("insuranceType", "EMPLOYEE", "benefit", "POOLING", "deductible", "200.00", "ratio", "0.50")));
        policy.put("maxDaysSupply", 0);
        s.importRows("/api/v1/admin/policies", List.of(policy))
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("[0].maxDaysSupply", "[0].bSelfPayRatio",
                        "[0].benefits[0].deductible", "[0].benefits[1].cap"));
        assertThat(s.query("SELECT count(*) AS n FROM policy WHERE region_code = $1 AND effective_from = '2030-01-01'",
                Tuple.of(s.region)).iterator().next().getLong("n")).isZero();
    }

    @Test
    void goodImportsAnswerTheCountsAndUpsert() {
        Scenario s = Scenario.ready(pool);
        String a = "44" + s.region + "800000000001";
        String b = "44" + s.region + "800000000002";
        s.importRows("/api/v1/admin/persons", List.of(person(a, "EMPLOYEE", "100.00"), person(b, "RESIDENT", null)))
                .statusCode(200)
                .body("received", equalTo(2)).body("created", equalTo(2)).body("updated", equalTo(0));
        assertThat(s.balance(a)).isEqualByComparingTo("100.00");
        assertThat(s.balance(b)).isEqualByComparingTo("0.00");

        // a re-import is a migration: it sets the balance it carries, keeps the one it does not carry
        Map<String, Object> again = person(a, "EMPLOYEE", null);
        again.put("certNos", List.of("NEW-CARD"));
        s.importRows("/api/v1/admin/persons", List.of(again, person(b, "RESIDENT", "0")))
                .statusCode(200)
                .body("created", equalTo(0)).body("updated", equalTo(2));
        assertThat(s.balance(a)).isEqualByComparingTo("100.00");
        assertThat(s.query("SELECT cert_no FROM person_cert WHERE psn_no = $1", Tuple.of(a)).iterator().next().getString("cert_no"))
                .isEqualTo("NEW-CARD");
        s.importRows("/api/v1/admin/persons", List.of(person(a, "EMPLOYEE", "42.50"))).statusCode(200);
        assertThat(s.balance(a)).isEqualByComparingTo("42.50");

        s.importRows("/api/v1/admin/institutions", List.of(Map.of("institutionCode", "H" + s.region + "77777", "designated", false,
                        "physicians", List.of("D1", "D2"))))
                .statusCode(200).body("created", equalTo(1));
        assertThat(count(s, "SELECT count(*) AS n FROM physician WHERE institution_code = $1", "H" + s.region + "77777")).isEqualTo(2);

        Map<String, Object> v2 = s.policy("2031-01-01", "0.15");
        v2.put("holdAllowsSettlement", true);
        s.importRows("/api/v1/admin/policies", List.of(v2)).statusCode(200).body("created", equalTo(1));
        var row = s.query("SELECT hold_allows_settlement, max_rx_items, max_rx_valid_days FROM policy WHERE region_code = $1 "
                + "AND effective_from = '2031-01-01'", Tuple.of(s.region)).iterator().next();
        assertThat(row.getBoolean("hold_allows_settlement")).isTrue();
        assertThat(row.getInteger("max_rx_items")).isEqualTo(5);
        assertThat(row.getInteger("max_rx_valid_days")).isEqualTo(3);
    }

    @Test
    void importNeedsAToken() {
        given().contentType(ContentType.JSON).body("[]").post("/api/v1/admin/catalogue").then().statusCode(401);
    }

    @Test
    @TestSecurity(user = "auditor-1", roles = "auditor")
    void importNeedsTheAdminRole_SEC02() {
        given().contentType(ContentType.JSON).body("[]").post("/api/v1/admin/catalogue").then().statusCode(403);
    }

    @Test
    @TestSecurity(user = "admin-1", roles = "admin")
    void anEmptyImportIsFineAndANonArrayIsNamed() {
        given().contentType(ContentType.JSON).body("[]").post("/api/v1/admin/institutions").then().statusCode(200)
                .body("received", equalTo(0));
        given().contentType(ContentType.JSON).body("{\"institutionCode\": \"H1\"}").post("/api/v1/admin/institutions").then()
                .statusCode(400).contentType("application/problem+json");
    }
}
