package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.deploy.BrokerMain;
import cn.pharmacyclaims.deploy.ManagedProcess;
import cn.pharmacyclaims.deploy.PosClient;
import cn.pharmacyclaims.testinfra.FreePorts;
import cn.pharmacyclaims.testinfra.RealPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The floor (docs/performance.md, "The floor"): the same POS load as {@link Bench}, on the same machine, against the least a
 * system of this design must do per purchase: an HTTP door that checks the signature and sends the request to Kafka
 * ({@link FloorFront}), a consumer that records it durably in PostgreSQL, one transaction per poll, and answers through Kafka
 * ({@link FloorBack}), and a second consumer that records the decision, as audit does. Broker, database and the two JVMs run
 * as the benchmark runs the real ones (C2 in the broker, C1 in the others, 256 MB heaps). What the floor does is a lower
 * bound for the work of any implementation of this design (its costs are not a bound for every component: a busier system
 * batches more); the report shows the cores it used at the measured rate and the latency it gave. Usage: ./bench.sh --floor [--rate 2000] [--warmup 30s] [--duration 60s] [--out dir]
 */
public final class FloorBench {
    private static final long SEED = 20261123L;
    private static final String SECRET = "floor-terminal-secret";

    private FloorBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("pc.project.root", ".")).toAbsolutePath().normalize();
        BenchOptions options = BenchOptions.parse(args, root, LocalDateTime.now());
        System.exit(run(root, options));
    }

    static int run(Path root, BenchOptions options) throws Exception {
        String rows = "required".equals(System.getenv("PC_FLOOR")) ? "required" : "plumbing";
        Path home = root.resolve(".local").resolve("floor");
        deleteRecursively(home);
        Files.createDirectories(home);
        OffsetDateTime startedAt = OffsetDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS);
        double[] loadBefore = ProcStats.loadAverage();
        List<ManagedProcess> processes = new ArrayList<>();
        RealPostgres pg = RealPostgres.start(home.resolve("pg"), FreePorts.next());
        try {
            pg.createDatabase("floor");
            BenchData data = BenchData.generate(options.size());
            createTables(pg, data);
            String classpath = System.getProperty("java.class.path");
            Bench.log("floor: " + rows + " rows (PC_FLOOR=plumbing|required)");
            int kafkaPort = FreePorts.next();
            String bootstrap = "127.0.0.1:" + kafkaPort;
            Path logs = home.resolve("logs");
            Bench.log("floor: starting the broker on " + bootstrap);
            ManagedProcess broker = ManagedProcess.start("kafka", ManagedProcess.java("kafka", "512m", classpath, false,
                    List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager"), BrokerMain.class.getName(),
                    List.of(home.resolve("kafka").toString(), Integer.toString(kafkaPort))), logs);
            processes.add(broker);
            broker.awaitLogLine("BROKER READY", Duration.ofSeconds(90));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                // as many partitions as the real settlement topics
                admin.createTopics(List.of(new NewTopic(FloorFront.COMMANDS, 12, (short) 1), new NewTopic(FloorFront.REPLIES, 12, (short) 1),
                        new NewTopic(FloorFront.DECISIONS, 12, (short) 1))).all().get();
            }
            int httpPort = FreePorts.next();
            ManagedProcess front = ManagedProcess.start("floor-front", ManagedProcess.java("floor-front", "256m", classpath, false,
                    List.of(), FloorFront.class.getName(), List.of(Integer.toString(httpPort), bootstrap, SECRET)), logs);
            processes.add(front);
            ManagedProcess back = ManagedProcess.start("floor-back", ManagedProcess.java("floor-back", "256m", classpath, false,
                    List.of(), FloorBack.class.getName(), List.of(bootstrap, pg.jdbcUrl("floor"), pg.user(), pg.password(), rows)), logs);
            processes.add(back);
            front.awaitLogLine("FLOOR FRONT READY", Duration.ofSeconds(60));
            back.awaitLogLine("FLOOR BACK READY", Duration.ofSeconds(60));

            List<PosClient.Terminal> terminals = new ArrayList<>();
            data.pharmaciesByRegion().values().forEach(codes -> codes.forEach(code -> terminals.add(
                    new PosClient.Terminal("T" + code.substring(1), code, SECRET))));

            Schedule schedule = new Schedule(System.nanoTime() + 2_000_000_000L, options.rate(), options.warmup(), options.duration());
            Results results = new Results(schedule);
            ProcSampler sampler = new ProcSampler(ProcStats.ticksPerSecond());
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("kafka", broker.pid());
            pids.put("floor-front", front.pid());
            pids.put("floor-back", back.pid());
            pids.forEach((name, pid) -> sampler.group(name, () -> List.of(pid), false));
            Path pgData = home.resolve("pg");
            sampler.group("postgresql", () -> {
                OptionalLong postmaster = ProcStats.postmasterPid(pgData);
                List<Long> all = new ArrayList<>();
                if (postmaster.isPresent()) {
                    all.add(postmaster.getAsLong());
                    all.addAll(ProcStats.children(postmaster.getAsLong()));
                }
                return all;
            }, true);
            sampler.group("load generator (this JVM)", () -> List.of(ProcessHandle.current().pid()), false);
            List<ProcSampler.Usage> usage;
            try (AlertWatcher alerts = new AlertWatcher(bootstrap, results)) {
                Workload workload = new Workload(data, terminals, Workload.Mix.standard(), SEED, System::currentTimeMillis);
                LoadGenerator load = new LoadGenerator("http://127.0.0.1:" + httpPort, workload, schedule, results, 2048,
                        Bench.REQUEST_TIMEOUT, alerts);
                sampler.start();
                Bench.log(String.format(Locale.ROOT, "floor: %.0f/s, warm-up %d s, measured %d s (%d requests)", options.rate(),
                        options.warmup().toSeconds(), options.duration().toSeconds(), schedule.totalCount()));
                load.run();
                long loadEnd = System.nanoTime();
                usage = sampler.usage(schedule.measuredStartNanos(), loadEnd);
                sampler.close();
            }
            long settlementRows;
            long decisionRows;
            String requiredRows = null;
            try (Connection c = pg.connect("floor"); Statement st = c.createStatement()) {
                Thread.sleep(2_000); // the last decisions
                settlementRows = count(st, "SELECT count(*) FROM floor_settlement");
                decisionRows = count(st, "SELECT count(*) FROM floor_decision");
                if (rows.equals("required")) {
                    requiredRows = String.format(Locale.ROOT, "nonces %d, lines %d, outbox rows published %d of %d, window rows %d, "
                                    + "account debits %s",
                            count(st, "SELECT count(*) FROM floor_nonce"), count(st, "SELECT count(*) FROM floor_line"),
                            count(st, "SELECT count(*) FROM floor_outbox WHERE published_at IS NOT NULL"),
                            count(st, "SELECT count(*) FROM floor_outbox"), count(st, "SELECT count(*) FROM floor_window"),
                            count(st, "SELECT round((count(*) * 1000000 - sum(balance)) * 100) FROM floor_account"));
                }
            }
            String md = report(startedAt, loadBefore, options, rows, schedule, results, usage, settlementRows, decisionRows);
            if (requiredRows != null) {
                md = md.replace("| rows recorded (whole run: purchases / decisions) |", "| rows recorded (whole run; " + requiredRows
                        + "; purchases / decisions) |");
            }
            Files.createDirectories(options.out());
            Files.writeString(options.out().resolve("floor.md"), md);
            System.out.println(md);
            Bench.log("floor report: " + options.out().resolve("floor.md"));
            return 0;
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
            pg.close();
        }
    }

    private static void createTables(RealPostgres pg, BenchData data) throws Exception {
        try (Connection c = pg.connect("floor"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE floor_settlement (msg_id TEXT PRIMARY KEY, psn_no TEXT, request TEXT NOT NULL, answer TEXT NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            st.execute("CREATE TABLE floor_decision (msg_id TEXT PRIMARY KEY, psn_no TEXT, decision TEXT NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            // PC_FLOOR=required
            st.execute("CREATE TABLE floor_nonce (terminal_id TEXT, nonce TEXT, seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (terminal_id, nonce))");
            st.execute("CREATE TABLE floor_line (msg_id TEXT, seq INT, item_code TEXT, amount NUMERIC(14, 2), PRIMARY KEY (msg_id, seq))");
            st.execute("CREATE TABLE floor_account (psn_no TEXT PRIMARY KEY, balance NUMERIC(14, 2) NOT NULL)");
            st.execute("CREATE TABLE floor_accumulator (psn_no TEXT, year INT, fund_paid NUMERIC(14, 2) NOT NULL, PRIMARY KEY (psn_no, year))");
            st.execute("CREATE TABLE floor_outbox (id BIGSERIAL PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, msg_key TEXT NOT NULL,"
                    + " payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), published_at TIMESTAMPTZ)");
            st.execute("CREATE TABLE floor_window (msg_id TEXT PRIMARY KEY, psn_no TEXT, occurred_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            st.execute("CREATE INDEX floor_window_person ON floor_window (psn_no, occurred_at)");
            String[] persons = data.persons().stream().map(BenchData.Person::psnNo).toArray(String[]::new);
            try (var accounts = c.prepareStatement("INSERT INTO floor_account SELECT p, 1000000 FROM unnest(?) AS p");
                 var years = c.prepareStatement("INSERT INTO floor_accumulator SELECT p, 2026, 0 FROM unnest(?) AS p")) {
                accounts.setArray(1, c.createArrayOf("text", persons));
                accounts.executeUpdate();
                years.setArray(1, c.createArrayOf("text", persons));
                years.executeUpdate();
            }
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String report(OffsetDateTime startedAt, double[] loadBefore, BenchOptions options, String rows, Schedule schedule,
                         Results results,
                         List<ProcSampler.Usage> usage, long settlementRows, long decisionRows) {
        double seconds = options.duration().toMillis() / 1000.0;
        Map<String, Long> outcomes = new TreeMap<>(results.outcomes());
        long ok = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("200")).mapToLong(Map.Entry::getValue).sum();
        double achieved = ok / seconds;
        LatencySummary l = results.latency();
        StringBuilder b = new StringBuilder();
        b.append("# Floor report\n\n");
        b.append(String.format(Locale.ROOT, "Run %s: offered %.0f requests/s open loop, warm-up %d s, measured %d s, demo registry `%s`. "
                        + "Load average before: %.2f %.2f %.2f.%n%n", startedAt, options.rate(), options.warmup().toSeconds(),
                options.duration().toSeconds(), options.size(), loadBefore[0], loadBefore[1], loadBefore[2]));
        b.append("The least a system of this design does per purchase (`FloorFront`, `FloorBack`): signature check, JSON read, ")
                .append("Kafka command, one durable row per purchase (a transaction per poll), Kafka answer and decision, one durable row ")
                .append("per decision. Same load generator, same machine, same broker and database settings as `./bench.sh`. ")
                .append(System.getenv().getOrDefault("PC_FLOOR_BACKS", "1")).append(" settle threads (`PC_FLOOR_BACKS`).\n\n");
        b.append("Rows: **").append(rows).append("**").append(rows.equals("required")
                ? ": also the rows the rules require of any implementation: nonce, lines, account and accumulator read and updated, "
                + "outbox row marked published in the next poll's transaction once the broker has it (the last poll's rows stay "
                + "unmarked), a window row per decision.\n\n"
                : ": one row per purchase and one per decision (`PC_FLOOR=required` adds the rows the rules require).\n\n");
        b.append("| figure | value |\n|---|---|\n");
        b.append(String.format(Locale.ROOT, "| answered HTTP 200 / s | %.1f |%n", achieved));
        b.append(String.format(Locale.ROOT, "| requests sent / not answered 200 (errors, timeouts) | %d / %d |%n", results.measuredSent(),
                results.measuredSent() - ok));
        b.append(String.format(Locale.ROOT, "| POS round trip p50 / p95 / p99 / max (ms) | %.1f / %.1f / %.1f / %.1f |%n", l.p50(), l.p95(),
                l.p99(), l.max()));
        b.append(String.format(Locale.ROOT, "| rows recorded (whole run: purchases / decisions) | %d / %d |%n", settlementRows, decisionRows));
        b.append("\n## CPU (measured window, % of one core) and per purchase\n\n");
        b.append("| process | CPU avg | CPU max (1 s) | RSS max MB | ms of CPU per answered purchase |\n|---|---|---|---|---|\n");
        double system = 0;
        for (ProcSampler.Usage u : usage) {
            boolean counted = !u.name().equals(ProcSampler.MACHINE) && !u.name().equals(ProcSampler.OTHER)
                    && !u.name().startsWith("load generator");
            double perPurchase = achieved > 0 ? u.cpuAvgPercent() * 10 / achieved : 0;
            if (counted) {
                system += perPurchase;
            }
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.0f | %s |%n", u.name(), u.cpuAvgPercent(), u.cpuMaxPercent(),
                    u.rssMaxMb(), counted ? String.format(Locale.ROOT, "%.3f", perPurchase) : ""));
        }
        double loadGenerator = usage.stream().filter(u -> u.name().startsWith("load generator")).mapToDouble(u -> u.cpuAvgPercent() / 100)
                .sum();
        // a cost per purchase holds only at the rate it was measured at: batches grow with the rate
        b.append(String.format(Locale.ROOT, "%n**Floor: %.2f ms of CPU per purchase at %.0f/s**, %.2f cores of the machine's %d "
                        + "(broker, database, door, back), and %.2f more for the load generator.%n",
                system, achieved, system * achieved / 1000, Runtime.getRuntime().availableProcessors(), loadGenerator));
        b.append("\n## Outcomes (measured window)\n\n| outcome | count |\n|---|---|\n");
        outcomes.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        return b.toString();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
