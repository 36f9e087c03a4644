package cn.pharmacyclaims.settlement.bench;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.settlement.adjudication.Adjudication;
import cn.pharmacyclaims.settlement.adjudication.AdjudicationInput;
import cn.pharmacyclaims.settlement.adjudication.Adjudicator;
import cn.pharmacyclaims.settlement.claim.ClaimProcessor;
import cn.pharmacyclaims.settlement.claim.CommandOutcome;
import cn.pharmacyclaims.settlement.claim.SnapshotLoader;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3 speed, in the database: one SETTLE command through {@link ClaimProcessor} (msgId claim,
 * account row lock, snapshots, adjudication, settlement + lines + balance + accumulators + supplies
 * + prescription use + outbox row, commit) against the real PostgreSQL with a demo-sized registry
 * loaded through SQL: 20,000 persons (60% employees with an account, 30% chronically ill), 2,000
 * catalogue items, 50 pharmacies with a terminal each, one designated institution, the region's
 * policy. Measured per command, sequentially and with 4 concurrent workers; also the pure
 * adjudication of inputs loaded from this database ("with the demo data loaded").
 *
 * <p>Not part of the suite (tag {@code bench}); run with
 * {@code ./mvnw -B -pl settlement-service test -Dgroups=bench -Dtest=SettlementTransactionBench}
 * (the reference-data cache is on by default; add {@code -Dpc.settlement.cache.enabled=false} to
 * measure without it).
 * Kafka consumers and the outbox relay of the service run meanwhile (the relay publishes the
 * decisions these commands write), as in production. No timed assertion.
 */
@Tag("bench")
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class SettlementTransactionBench {

    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final String REGION = "449901";
    private static final String INSTITUTION = "H44990100001";
    private static final String PHYSICIAN = "D0042";
    private static final int PERSONS = 20_000;
    private static final int ITEMS = 2_000;
    private static final int PHARMACIES = 50;
    private static final String[] DISEASES = {"I10", "E11", "J44"};
    private static final int WARMUP = 1_000;
    private static final int SEQUENTIAL = 3_000;
    private static final int CONCURRENT = 4_000;
    private static final int WORKERS = 4;
    private static final int LOADED_ADJUDICATIONS = 2_000;

    @Inject
    Pool pool;

    @Inject
    ClaimProcessor processor;

    @Inject
    SnapshotLoader loader;

    @Inject
    SettlementConfig config;

    private final Random rnd = new Random(42);
    private final List<Integer> personOrder = new ArrayList<>();
    private int nextPerson;
    private int seq;

    @Test
    void settlementTransactionPercentiles() throws Exception {
        String loadBefore = Samples.load();
        long t0 = System.nanoTime();
        loadRegistry();
        long loadedMs = (System.nanoTime() - t0) / 1_000_000;
        for (int i = 1; i <= PERSONS; i++) {
            personOrder.add(i);
        }
        java.util.Collections.shuffle(personOrder, rnd);
        OffsetDateTime at = OffsetDateTime.now(BEIJING).withNano(0);

        Map<SettlementStatus, Integer> outcomes = new EnumMap<>(SettlementStatus.class);
        for (int i = 0; i < WARMUP; i++) {
            settle(command(at), outcomes);
        }
        outcomes.clear();
        // Plans cached while the settlement tables were empty (foreign-key checks, prepared statements) scan
        // them sequentially until the first autoanalyze; a running system has statistics, so make them now.
        sql("ANALYZE");
        Map<String, Long> seqScansBefore = seqScans();

        Samples sequential = new Samples(SEQUENTIAL);
        long s0 = System.nanoTime();
        for (int i = 0; i < SEQUENTIAL; i++) {
            SettlementCommand c = command(at);
            long c0 = System.nanoTime();
            settle(c, outcomes);
            sequential.add(System.nanoTime() - c0);
        }
        double sequentialRate = SEQUENTIAL / ((System.nanoTime() - s0) / 1e9);

        List<List<SettlementCommand>> perWorker = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            List<SettlementCommand> mine = new ArrayList<>();
            for (int i = 0; i < CONCURRENT / WORKERS; i++) {
                mine.add(command(at));
            }
            perWorker.add(mine);
        }
        Samples[] workerSamples = new Samples[WORKERS];
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> done = new ArrayList<>();
        Map<SettlementStatus, Integer> concurrentOutcomes = new EnumMap<>(SettlementStatus.class);
        long p0 = System.nanoTime();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            workerSamples[w] = new Samples(CONCURRENT / WORKERS);
            done.add(workers.submit(() -> {
                Map<SettlementStatus, Integer> mineOutcomes = new EnumMap<>(SettlementStatus.class);
                for (SettlementCommand c : perWorker.get(worker)) {
                    long c0 = System.nanoTime();
                    settle(c, mineOutcomes);
                    workerSamples[worker].add(System.nanoTime() - c0);
                }
                synchronized (concurrentOutcomes) {
                    mineOutcomes.forEach((k, v) -> concurrentOutcomes.merge(k, v, Integer::sum));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double concurrentRate = CONCURRENT / ((System.nanoTime() - p0) / 1e9);
        workers.shutdown();

        Map<String, Long> seqScansMeasured = delta(seqScansBefore, seqScans());

        // For scale: CLM-13 PREVIEW (the same reads and adjudication, no transaction, nothing written), and
        // PostgreSQL's floor for any write: a one-row INSERT and its commit (synchronous_commit on).
        Samples previews = new Samples(SEQUENTIAL);
        for (int i = 0; i < SEQUENTIAL; i++) {
            SettlementCommand c = preview(command(at));
            long c0 = System.nanoTime();
            settle(c, new EnumMap<>(SettlementStatus.class));
            previews.add(System.nanoTime() - c0);
        }
        sql("CREATE TABLE IF NOT EXISTS bench_commit (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now())");
        Samples commits = new Samples(SEQUENTIAL);
        for (int i = 0; i < SEQUENTIAL; i++) {
            long c0 = System.nanoTime();
            pool.query("INSERT INTO bench_commit DEFAULT VALUES").execute().await().atMost(Duration.ofSeconds(10));
            commits.add(System.nanoTime() - c0);
        }

        // The pure adjudication of snapshots loaded from this database (CLM-13's path without the transaction).
        Adjudicator adjudicator = new Adjudicator();
        List<AdjudicationInput> inputs = new ArrayList<>();
        for (int i = 0; i < LOADED_ADJUDICATIONS; i++) {
            SettlementCommand c = command(at);
            inputs.add(loader.load(pool, c, at.toLocalDate()).await().atMost(Duration.ofSeconds(30)));
        }
        long accepted = 0;
        for (int pass = 0; pass < 20; pass++) {
            for (AdjudicationInput in : inputs) {
                accepted += adjudicator.adjudicate(in) instanceof Adjudication.Accepted ? 1 : 0;
            }
        }
        Samples pure = new Samples(10 * inputs.size());
        for (int pass = 0; pass < 10; pass++) {
            for (AdjudicationInput in : inputs) {
                long c0 = System.nanoTime();
                adjudicator.adjudicate(in);
                pure.add(System.nanoTime() - c0);
            }
        }

        assertThat(outcomes.getOrDefault(SettlementStatus.SETTLED, 0)).as("the commands settle").isGreaterThan(SEQUENTIAL * 9 / 10);
        String report = String.join("\n",
                "Settlement transaction (ClaimProcessor SETTLE, real PostgreSQL 17.5 embedded), " + at.toLocalDate() + ", JDK "
                        + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                        + " CPUs, load average before " + loadBefore + ", after " + Samples.load(),
                String.format(Locale.ROOT, "registry: %,d persons, %,d items, %d pharmacies (loaded by SQL in %,d ms); "
                                + "reference cache %s (ttl %s); reactive pool max %s",
                        PERSONS, ITEMS, PHARMACIES, loadedMs, config.cache().enabled() ? "on" : "off", config.cache().ttl(),
                        org.eclipse.microprofile.config.ConfigProvider.getConfig()
                                .getOptionalValue("quarkus.datasource.reactive.max-size", String.class).orElse("?")),
                String.format(Locale.ROOT, "warm-up %,d commands; sequential %,d (%s), %.0f commands/s; %d workers %,d (%s), "
                                + "%.0f commands/s (sequential scans meanwhile: %s); pure adjudication: "
                                + "%.1f%% of %,d loaded inputs accepted",
                        WARMUP, SEQUENTIAL, outcomes, sequentialRate, WORKERS, CONCURRENT, concurrentOutcomes, concurrentRate,
                        seqScansMeasured, 100.0 * accepted / (20.0 * inputs.size()), inputs.size()),
                "",
                Samples.header(),
                sequential.row("SETTLE transaction, sequential"),
                Samples.of(workerSamples).row("SETTLE transaction, " + WORKERS + " concurrent workers"),
                previews.row("PREVIEW (same reads + adjudication, no transaction), sequential"),
                commits.row("baseline: one-row INSERT + commit, sequential"),
                pure.row("pure adjudication of loaded inputs"),
                "");
        System.out.println(report);
        Samples.write("settlement-transaction" + (config.cache().enabled() ? "" : "-nocache") + ".md", report);
    }

    private static SettlementCommand preview(SettlementCommand c) {
        return new SettlementCommand(c.commandId(), CommandType.PREVIEW, c.replyTo(), c.terminalId(), c.receivedAt(), c.bodyHash(),
                c.settlement(), null, null);
    }

    private void settle(SettlementCommand c, Map<SettlementStatus, Integer> outcomes) {
        CommandOutcome o = processor.process(c).await().atMost(Duration.ofSeconds(60));
        outcomes.merge(o.result().status(), 1, Integer::sum);
    }

    /**
     * A purchase like the demo workload's: a fresh person each time (no CLM-08 refill clash), at a
     * random pharmacy of the region; a chronically ill person buys a drug of their disease for 28
     * days; otherwise 1 to 5 lines, with Rx items on an electronic prescription (half of them
     * registered) 40% of the time.
     */
    private SettlementCommand command(OffsetDateTime at) {
        int person = personOrder.get(nextPerson++);
        String psnNo = psnNo(person);
        String disease = chronicDisease(person);
        int pharmacy = 1 + rnd.nextInt(PHARMACIES);
        Set<Integer> items = new LinkedHashSet<>();
        if (disease != null) {
            items.add(chronicItem(disease));
        }
        boolean withRx = rnd.nextInt(10) < 4;
        int lines = 1 + rnd.nextInt(5);
        while (items.size() < lines) {
            int g = 1 + rnd.nextInt(ITEMS);
            if (isRx(g) == withRx || !isRx(g) && items.size() > 0) {
                items.add(g);
            }
        }
        List<SettlementRequest.Line> requestLines = new ArrayList<>();
        boolean anyRx = false;
        int n = 1;
        for (int g : items) {
            anyRx |= isRx(g);
            boolean chronicLine = disease != null && g == chronicItem(disease);
            requestLines.add(new SettlementRequest.Line(n++, itemCode(g), BigDecimal.valueOf(1 + rnd.nextInt(3)),
                    BigDecimal.valueOf(500 + rnd.nextInt(5500), 2), chronicLine ? 28 : 7, "PH-0091"));
        }
        SettlementRequest.Prescription rx = null;
        if (anyRx) {
            String rxNo = "BRX" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            OffsetDateTime issued = at.minusMinutes(30);
            rx = new SettlementRequest.Prescription(rxNo, true, INSTITUTION, PHYSICIAN, psnNo, issued, 1, disease);
            if (rnd.nextBoolean()) {
                register(rx, requestLines);
            }
        }
        String pharmacyCode = pharmacyCode(pharmacy);
        seq++; // CLM-01 msgId: pharmacy (12), yyyyMMddHHmmss (14), sequence (4); unique over the run
        String msgId = pharmacyCode + at.plusSeconds(seq / 10_000).atZoneSameInstant(BEIJING)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + String.format("%04d", seq % 10_000);
        SettlementRequest request = new SettlementRequest(msgId, pharmacyCode, at, "op-7",
                new SettlementRequest.Insured(psnNo, SettlementRequest.CertType.SOCIAL_CARD, "C" + psnNo), null, rx, Boolean.TRUE,
                List.copyOf(requestLines));
        return new SettlementCommand(UUID.randomUUID().toString(), CommandType.SETTLE, "bench", "BT-" + pharmacyCode,
                at, null, request, null, null);
    }

    private void register(SettlementRequest.Prescription rx, List<SettlementRequest.Line> lines) {
        pool.preparedQuery("INSERT INTO registered_prescription (rx_no, institution_code, physician_code, patient_psn_no, issued_at, "
                        + "valid_days) VALUES ($1, $2, $3, $4, $5, 1)")
                .execute(Tuple.of(rx.rxNo(), rx.institutionCode(), rx.physicianCode(), rx.patientPsnNo(), rx.issuedAt()))
                .await().atMost(Duration.ofSeconds(10));
        List<Tuple> rows = new ArrayList<>();
        lines.stream().filter(l -> isRx(Integer.parseInt(l.itemCode().substring(2))))
                .forEach(l -> rows.add(Tuple.of(rx.rxNo(), l.itemCode(), l.quantity())));
        pool.preparedQuery("INSERT INTO registered_prescription_item (rx_no, item_code, quantity) VALUES ($1, $2, $3)")
                .executeBatch(rows).await().atMost(Duration.ofSeconds(10));
    }

    private static String psnNo(int person) {
        return String.format("4499%016d", person);
    }

    /** 30% of persons are registered for one chronic disease. */
    private static String chronicDisease(int person) {
        return person % 10 < 3 ? DISEASES[person % 3] : null;
    }

    private static String itemCode(int g) {
        return String.format("BX%06d", g);
    }

    private static boolean isRx(int g) {
        return g % 5 < 2;
    }

    /** Items 1..3 mod 20 cover I10, E11, J44; each chronic person's drug is one of them. */
    private int chronicItem(String disease) {
        int d = java.util.Arrays.asList(DISEASES).indexOf(disease);
        return 20 * (1 + Math.floorMod(seq * 31 + d, ITEMS / 20 - 1)) + d;
    }

    private static String pharmacyCode(int p) {
        return String.format("P4499010%04d", p);
    }

    private void loadRegistry() {
        LocalDate yearStart = LocalDate.now(BEIJING).withDayOfYear(1);
        sql("INSERT INTO person (psn_no, insurance_type, region_code, status, card_lost) "
                + "SELECT '4499' || lpad(g::text, 16, '0'), CASE WHEN g % 5 < 3 THEN 'EMPLOYEE' ELSE 'RESIDENT' END, '" + REGION
                + "', 'ACTIVE', false FROM generate_series(1, " + PERSONS + ") g");
        sql("INSERT INTO person_cert (psn_no, cert_no) SELECT psn_no, 'C' || psn_no FROM person WHERE psn_no LIKE '4499%'");
        sql("INSERT INTO account (psn_no, balance) SELECT psn_no, CASE WHEN insurance_type = 'EMPLOYEE' THEN 3000.00 ELSE 0 END "
                + "FROM person WHERE psn_no LIKE '4499%'");
        sql("INSERT INTO chronic_registration (psn_no, disease_code, valid_from, valid_to) "
                + "SELECT '4499' || lpad(g::text, 16, '0'), (ARRAY['I10','E11','J44'])[1 + g % 3], DATE '2020-01-01', NULL "
                + "FROM generate_series(1, " + PERSONS + ") g WHERE g % 10 < 3");
        sql("INSERT INTO catalogue_item (item_code, name, spec, item_class, rx, payment_standard, chronic_diseases) "
                + "SELECT 'BX' || lpad(g::text, 6, '0'), 'bench item ' || g, '10mg*28', "
                + "CASE WHEN g % 10 < 6 THEN 'A' WHEN g % 10 < 9 THEN 'B' ELSE 'C' END, g % 5 < 2, "
                + "CASE WHEN g % 2 = 0 THEN 20.00 END, "
                + "CASE g % 20 WHEN 0 THEN ARRAY['I10'] WHEN 1 THEN ARRAY['E11'] WHEN 2 THEN ARRAY['J44'] ELSE '{}'::text[] END "
                + "FROM generate_series(1, " + ITEMS + ") g");
        sql("INSERT INTO institution (institution_code, designated) VALUES ('" + INSTITUTION + "', true)");
        sql("INSERT INTO physician (institution_code, physician_code) VALUES ('" + INSTITUTION + "', '" + PHYSICIAN + "')");
        sql("INSERT INTO policy (region_code, effective_from, max_days_supply, max_days_supply_chronic, refill_threshold, "
                + "b_self_pay_ratio, account_covers_out_of_scope, outpatient_pooling_at_pharmacy, benefits, chronic_caps) VALUES ('"
                + REGION + "', DATE '2020-01-01', 7, 30, 0.80, 0.10, true, true, '["
                + "{\"insuranceType\":\"EMPLOYEE\",\"benefit\":\"CHRONIC\",\"deductible\":\"0\",\"ratio\":\"0.70\",\"cap\":null},"
                + "{\"insuranceType\":\"EMPLOYEE\",\"benefit\":\"POOLING\",\"deductible\":\"200.00\",\"ratio\":\"0.50\",\"cap\":\"2000.00\"},"
                + "{\"insuranceType\":\"RESIDENT\",\"benefit\":\"CHRONIC\",\"deductible\":\"0\",\"ratio\":\"0.60\",\"cap\":null},"
                + "{\"insuranceType\":\"RESIDENT\",\"benefit\":\"POOLING\",\"deductible\":\"0\",\"ratio\":\"0.50\",\"cap\":\"300.00\"}]', '["
                + "{\"diseaseCode\":\"I10\",\"cap\":\"3000\"},{\"diseaseCode\":\"E11\",\"cap\":\"5000\"},"
                + "{\"diseaseCode\":\"J44\",\"cap\":\"5000\"}]')");
        sql("INSERT INTO pharmacy (pharmacy_code, region_code, status, valid_from, valid_to, version) "
                + "SELECT 'P4499010' || lpad(g::text, 4, '0'), '" + REGION + "', 'ACTIVE', DATE '" + yearStart + "', DATE '"
                + yearStart.plusYears(1).minusDays(1) + "', 1 FROM generate_series(1, " + PHARMACIES + ") g");
        sql("INSERT INTO terminal (terminal_id, pharmacy_code, status, version) "
                + "SELECT 'BT-P4499010' || lpad(g::text, 4, '0'), 'P4499010' || lpad(g::text, 4, '0'), 'ACTIVE', 1 "
                + "FROM generate_series(1, " + PHARMACIES + ") g");
        sql("ANALYZE");
    }

    /** Sequential scans so far of the growing tables a settlement reads or checks (none expected once analyzed). */
    private Map<String, Long> seqScans() {
        Map<String, Long> out = new java.util.TreeMap<>();
        pool.query("SELECT relname, seq_scan FROM pg_stat_user_tables WHERE relname IN ('settlement', 'settlement_line', 'supply', "
                        + "'prescription_use', 'accumulator', 'chronic_accumulator', 'msg_claim', 'account', 'person', "
                        + "'registered_prescription', 'registered_prescription_item', 'outbox')")
                .execute().await().atMost(Duration.ofSeconds(10)).forEach(r -> out.put(r.getString(0), r.getLong(1)));
        return out;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(120));
    }
}
