package cn.pharmacyclaims.agreement;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Unique codes per test (the database and broker live for the whole test JVM) and import rows. */
public final class Fixtures {
    private static final AtomicInteger SERIAL = new AtomicInteger(ThreadLocalRandom.current().nextInt(10_000, 50_000));
    private static final AtomicInteger REGION = new AtomicInteger(ThreadLocalRandom.current().nextInt(100_000, 800_000));

    private Fixtures() {
    }

    /** A region code no other test uses, so lists filtered by it hold only this test's pharmacies. */
    public static String region() {
        return Integer.toString(REGION.incrementAndGet());
    }

    public static String code(String region) {
        return "P" + region + String.format("%05d", SERIAL.incrementAndGet() % 100_000);
    }

    public static String code() {
        return code("440105");
    }

    public static LocalDate today() {
        return LocalDate.now(BeijingTime.ZONE);
    }

    public static Map<String, Object> row(String code, String region, String status, String type, LocalDate from, LocalDate to) {
        Map<String, Object> agreement = new LinkedHashMap<>();
        agreement.put("status", status);
        agreement.put("validFrom", from.toString());
        agreement.put("validTo", to.toString());
        agreement.put("type", type);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("code", code);
        row.put("name", "Pharmacy " + code);
        row.put("regionCode", region);
        row.put("address", "1 Test Road, " + region);
        row.put("lat", 23.10);
        row.put("lon", 113.30);
        row.put("businessHours", "08:00-22:00");
        row.put("agreement", agreement);
        return row;
    }

    /** An ACTIVE GENERAL agreement running from last month to the end of next year. */
    public static Map<String, Object> activeRow(String code) {
        return row(code, code.substring(1, 7), "ACTIVE", "GENERAL", today().minusMonths(1), today().plusYears(1));
    }

    /** Imports with the caller's security identity (the test method needs role admin). */
    public static void importRows(List<Map<String, Object>> rows) {
        given().contentType("application/json").body(rows).post("/api/v1/admin/pharmacies").then().statusCode(200);
    }

    public static String importActive() {
        String code = code();
        importRows(List.of(activeRow(code)));
        return code;
    }
}
