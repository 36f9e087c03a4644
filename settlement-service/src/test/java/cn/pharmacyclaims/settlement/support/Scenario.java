package cn.pharmacyclaims.settlement.support;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.DevTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * A world of its own for one test: a region with its policy, an active pharmacy with a terminal, a
 * designated institution, and helpers to add persons and catalogue items and to build commands.
 * Reference data goes in through the admin API, pharmacy status through the agreement topics,
 * commands through Kafka; the database is only read, to assert.
 */
public final class Scenario {
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final AtomicInteger SEQ = new AtomicInteger(ThreadLocalRandom.current().nextInt(100_000, 800_000));
    private static final DateTimeFormatter MSG_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    public final String region;
    public final String pharmacyCode;
    public final String terminalId;
    public final String institutionCode;
    public final String physicianCode = "D0042";
    public final String disease = "I10";
    private final Pool pool;
    private final TestKafka kafka;
    private final String adminToken = DevTokens.mint("test-admin", "admin");
    private final AtomicInteger msgSeq = new AtomicInteger();
    private final AtomicInteger codeSeq = new AtomicInteger();

    private Scenario(Pool pool) {
        int n = SEQ.incrementAndGet();
        this.pool = pool;
        this.kafka = TestKafka.get();
        this.region = String.format("%06d", n);
        this.pharmacyCode = "P" + region + "00001";
        this.terminalId = "T-" + pharmacyCode;
        this.institutionCode = "H" + region + "00003";
    }

    /** A region with the default policy, an ACTIVE pharmacy and terminal known to the service, a designated institution. */
    public static Scenario ready(Pool pool) {
        Scenario s = withoutPolicy(pool);
        s.importPolicies(List.of(s.policy("2020-01-01", "0.10")));
        return s;
    }

    /** As {@link #ready} but the region has no policy at all (a configuration error). */
    public static Scenario withoutPolicy(Pool pool) {
        Scenario s = new Scenario(pool);
        s.importOk("/api/v1/admin/institutions", List.of(Map.of("institutionCode", s.institutionCode, "designated", true,
                "physicians", List.of(s.physicianCode))));
        s.publishPharmacy(PharmacyStatus.ACTIVE, 1);
        s.publishTerminal(s.pharmacyCode, 1);
        return s;
    }

    public TestKafka kafka() {
        return kafka;
    }

    // ---- reference data through the admin API -----------------------------------------------------

    /** POS-API.md §4's policy with the DOMAIN.md defaults; chronic cap for I10 3000.00. */
    public Map<String, Object> policy(String effectiveFrom, String bSelfPayRatio) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("regionCode", region);
        p.put("effectiveFrom", effectiveFrom);
        p.put("maxDaysSupply", 7);
        p.put("maxDaysSupplyChronic", 30);
        p.put("refillThreshold", "0.80");
        p.put("bSelfPayRatio", bSelfPayRatio);
        p.put("accountCoversOutOfScope", true);
        p.put("outpatientPoolingAtPharmacy", true);
        p.put("benefits", List.of(
                Map.of("insuranceType", "EMPLOYEE", "benefit", "CHRONIC", "deductible", "0", "ratio", "0.70"),
                Map.of("insuranceType", "EMPLOYEE", "benefit", "POOLING", "deductible", "200.00", "ratio", "0.50", "cap", "2000.00"),
                Map.of("insuranceType", "RESIDENT", "benefit", "CHRONIC", "deductible", "0", "ratio", "0.60"),
                Map.of("insuranceType", "RESIDENT", "benefit", "POOLING", "deductible", "0", "ratio", "0.50", "cap", "300.00")));
        p.put("chronicCaps", List.of(Map.of("diseaseCode", disease, "cap", "3000")));
        return p;
    }

    public void importPolicies(List<Map<String, Object>> policies) {
        importOk("/api/v1/admin/policies", policies);
    }

    /** An insured person with a card "C" + psnNo; EMPLOYEE balance as given; chronic registrations for the given diseases. */
    public String person(String insuranceType, String balance, String... chronicDiseases) {
        Map<String, Object> row = personRow(insuranceType, balance, chronicDiseases);
        importOk("/api/v1/admin/persons", List.of(row));
        return (String) row.get("psnNo");
    }

    /** As {@link #person} with the import row changed first (e.g. {@code status}, {@code cardLost}). */
    public String person(String insuranceType, String balance, java.util.function.Consumer<Map<String, Object>> tweak) {
        Map<String, Object> row = personRow(insuranceType, balance);
        tweak.accept(row);
        importOk("/api/v1/admin/persons", List.of(row));
        return (String) row.get("psnNo");
    }

    private Map<String, Object> personRow(String insuranceType, String balance, String... chronicDiseases) {
        String psnNo = "44" + region + String.format("%012d", codeSeq.incrementAndGet());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("psnNo", psnNo);
        row.put("certNos", List.of(certNo(psnNo)));
        row.put("insuranceType", insuranceType);
        row.put("regionCode", region);
        row.put("status", "ACTIVE");
        row.put("cardLost", false);
        row.put("accountBalance", balance);
        List<Map<String, Object>> chronic = new ArrayList<>();
        for (String d : chronicDiseases) {
            chronic.add(Map.of("diseaseCode", d, "validFrom", "2020-01-01", "validTo", "2099-12-31"));
        }
        row.put("chronic", chronic);
        return row;
    }

    public static String certNo(String psnNo) {
        return "C" + psnNo;
    }

    /** A catalogue item; {@code paymentStandard} null for no limit. */
    public String item(String itemClass, boolean rx, String paymentStandard, String... chronicDiseases) {
        return items(1, itemClass, rx, paymentStandard, chronicDiseases).get(0);
    }

    /** {@code n} catalogue items alike, in one import call. */
    public List<String> items(int n, String itemClass, boolean rx, String paymentStandard, String... chronicDiseases) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String code = "X" + region + String.format("%07d", codeSeq.incrementAndGet());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("itemCode", code);
            row.put("name", "item " + code);
            row.put("spec", "5mg*28");
            row.put("class", itemClass);
            row.put("rx", rx);
            row.put("paymentStandard", paymentStandard);
            row.put("chronicDiseases", List.of(chronicDiseases));
            rows.add(row);
        }
        importOk("/api/v1/admin/catalogue", rows);
        return rows.stream().map(r -> (String) r.get("itemCode")).toList();
    }

    /**
     * Registers an electronic prescription (CLM-06 registry) as {@code rx} states it, with these item
     * codes and quantities: {@code register(rx, "X1", "2", "X2", "1")}.
     */
    public void register(SettlementRequest.Prescription rx, String... itemCodeAndQuantity) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < itemCodeAndQuantity.length; i += 2) {
            items.add(Map.of("itemCode", itemCodeAndQuantity[i], "quantity", itemCodeAndQuantity[i + 1]));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("rxNo", rx.rxNo());
        row.put("institutionCode", rx.institutionCode());
        row.put("physicianCode", rx.physicianCode());
        row.put("patientPsnNo", rx.patientPsnNo());
        row.put("issuedAt", rx.issuedAt().toString());
        row.put("validDays", rx.validDays());
        row.put("items", items);
        importOk("/api/v1/admin/prescriptions", List.of(row));
    }

    public ValidatableResponse importRows(String path, Object rows) {
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(Json.write(rows)).post(path).then();
    }

    private void importOk(String path, Object rows) {
        importRows(path, rows).statusCode(200);
    }

    // ---- agreement events through their topics ----------------------------------------------------

    public void publishPharmacy(PharmacyStatus status, long version) {
        publishPharmacyEvent(status, version);
        awaitPharmacyVersion(version);
    }

    public void publishPharmacyEvent(PharmacyStatus status, long version) {
        PharmacyStatusChanged e = new PharmacyStatusChanged(pharmacyCode, "Pharmacy " + pharmacyCode, region, "1 Test Road",
                23.1, 113.3, "00:00-24:00", status, "GENERAL", LocalDate.of(2020, 1, 1), LocalDate.of(2099, 12, 31), version,
                OffsetDateTime.now(BEIJING), "test");
        kafka.send(Topics.PHARMACY_STATUS, pharmacyCode, Json.write(e));
    }

    public void awaitPharmacyVersion(long version) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            RowSet<Row> rows = query("SELECT version FROM pharmacy WHERE pharmacy_code = $1", Tuple.of(pharmacyCode));
            return rows.size() == 1 && rows.iterator().next().getLong("version") >= version;
        });
    }

    public void publishTerminal(String registeredTo, long version) {
        TerminalChanged e = new TerminalChanged(terminalId, registeredTo, TerminalChanged.Status.ACTIVE, "ciphertext", version,
                OffsetDateTime.now(BEIJING));
        kafka.send(Topics.TERMINALS, terminalId, Json.write(e));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            RowSet<Row> rows = query("SELECT version FROM terminal WHERE terminal_id = $1", Tuple.of(terminalId));
            return rows.size() == 1 && rows.iterator().next().getLong("version") >= version;
        });
    }

    // ---- commands -----------------------------------------------------------------------------------

    /** msgId: pharmacy code (12) + yyyyMMddHHmmss (14) + 4-digit sequence (CLM-01). */
    public String msgId(OffsetDateTime at) {
        return pharmacyCode + at.atZoneSameInstant(BEIJING).format(MSG_TIME) + String.format("%04d", msgSeq.incrementAndGet());
    }

    public static OffsetDateTime nowBeijing() {
        return OffsetDateTime.now(BEIJING).withNano(0);
    }

    public static SettlementRequest.Line line(int lineNo, String itemCode, String quantity, String unitPrice, Integer daysSupply) {
        return new SettlementRequest.Line(lineNo, itemCode, new BigDecimal(quantity), new BigDecimal(unitPrice), daysSupply, "PH-0091");
    }

    public SettlementRequest request(String psnNo, OffsetDateTime occurredAt, SettlementRequest.Prescription rx,
                                     SettlementRequest.Line... lines) {
        return new SettlementRequest(msgId(occurredAt), pharmacyCode, occurredAt, "op-7",
                new SettlementRequest.Insured(psnNo, SettlementRequest.CertType.SOCIAL_CARD, certNo(psnNo)), null, rx, true,
                List.of(lines));
    }

    public SettlementRequest request(String psnNo, SettlementRequest.Line... lines) {
        return request(psnNo, nowBeijing(), null, lines);
    }

    /** An electronic prescription of the scenario's designated institution for the person, issued at 00:00 of the sale date. */
    public SettlementRequest.Prescription eRx(String psnNo, OffsetDateTime occurredAt) {
        OffsetDateTime issued = occurredAt.atZoneSameInstant(BEIJING).truncatedTo(java.time.temporal.ChronoUnit.DAYS).toOffsetDateTime();
        return new SettlementRequest.Prescription("RX" + UUID.randomUUID().toString().substring(0, 12), true, institutionCode,
                physicianCode, psnNo, issued, 1, "J20");
    }

    public SettlementCommand settle(SettlementRequest r) {
        return command(CommandType.SETTLE, r, null, null);
    }

    public SettlementCommand preview(SettlementRequest r) {
        return command(CommandType.PREVIEW, r, null, null);
    }

    public SettlementCommand cancel(String setlId) {
        return command(CommandType.CANCEL, null, new SettlementCommand.CancelRequest(setlId, null, pharmacyCode, "op-7"), null);
    }

    public SettlementCommand reverse(String originalMsgId) {
        return command(CommandType.REVERSE, null, null,
                new SettlementCommand.ReversalRequest(msgId(nowBeijing()), originalMsgId, pharmacyCode));
    }

    private SettlementCommand command(CommandType type, SettlementRequest r, SettlementCommand.CancelRequest c,
                                      SettlementCommand.ReversalRequest rev) {
        String body = Json.write(r != null ? r : c != null ? c : rev);
        return new SettlementCommand(UUID.randomUUID().toString(), type, "test-gateway", terminalId, OffsetDateTime.now(BEIJING),
                sha256(body), r, c, rev);
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- reading the database to assert --------------------------------------------------------------

    public RowSet<Row> query(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).await().atMost(Duration.ofSeconds(10));
    }

    public BigDecimal balance(String psnNo) {
        return query("SELECT balance FROM account WHERE psn_no = $1", Tuple.of(psnNo)).iterator().next().getBigDecimal("balance");
    }

    public long settlementRows(String msgId) {
        return query("SELECT count(*) AS n FROM settlement WHERE msg_id = $1", Tuple.of(msgId)).iterator().next().getLong("n");
    }

    public String status(String setlId) {
        return query("SELECT status FROM settlement WHERE setl_id = $1", Tuple.of(setlId)).iterator().next().getString("status");
    }

    /** Accumulators of the person's year: pooling deductible used, pooling fund paid, account paid (zeros when none). */
    public List<BigDecimal> accumulators(String psnNo, int year) {
        RowSet<Row> rows = query("SELECT pooling_deductible_used, pooling_fund_paid, account_paid FROM accumulator WHERE psn_no = $1 AND year = $2",
                Tuple.of(psnNo, year));
        if (rows.size() == 0) {
            return List.of(new BigDecimal("0.00"), new BigDecimal("0.00"), new BigDecimal("0.00"));
        }
        Row r = rows.iterator().next();
        return List.of(r.getBigDecimal("pooling_deductible_used"), r.getBigDecimal("pooling_fund_paid"), r.getBigDecimal("account_paid"));
    }

    public BigDecimal chronicFundPaid(String psnNo, int year, String diseaseCode) {
        RowSet<Row> rows = query("SELECT fund_paid FROM chronic_accumulator WHERE psn_no = $1 AND year = $2 AND disease_code = $3",
                Tuple.of(psnNo, year, diseaseCode));
        return rows.size() == 0 ? new BigDecimal("0.00") : rows.iterator().next().getBigDecimal("fund_paid");
    }
}
