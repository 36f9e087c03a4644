package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.deploy.AdminClient;
import cn.pharmacyclaims.deploy.DemoData;
import cn.pharmacyclaims.deploy.LocalStack;
import cn.pharmacyclaims.deploy.ManagedProcess;
import cn.pharmacyclaims.deploy.PosClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The benchmark, one command ({@code ./bench.sh}): starts a fresh local stack of its own (own
 * directory, free ports, so it never meets a running {@code ./run.sh}), loads the demo registry,
 * waits until every terminal's preview passes end to end, measures the raw broker and database
 * limits, runs the open-loop POS load with warm-up, reconciles the settlement database against
 * the answers, writes report.md, report.json and latency.svg, and stops everything it started.
 */
public final class Bench {
    private Bench() {
    }

    private static final Logger KAFKA_LOGS = Logger.getLogger("org.apache.kafka");
    static final int MAX_IN_FLIGHT = 2048;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    static final long SEED = 20261123L;
    /** How long after the load the alerts may still come: long enough to measure a lagging audit, not to pass it. */
    static final Duration ALERT_GRACE = Duration.ofSeconds(60);
    /** How long before the measured window the counters (service timers, WAL, thread CPU) are first read. */
    static final Duration COUNTERS_LEAD = Duration.ofSeconds(5);
    /** When, into the warm-up, the databases are analysed (at most half the warm-up). */
    static final Duration ANALYZE_AFTER = Duration.ofSeconds(10);
    /** How long the settlement backlog may take to drain before the reconciliation reads the database. */
    static final Duration DRAIN = Duration.ofSeconds(300);

    public static void main(String[] args) throws Exception {
        KAFKA_LOGS.setLevel(Level.WARNING);
        Path root = Path.of(System.getProperty("pc.project.root", ".")).toAbsolutePath().normalize();
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, root, LocalDateTime.now());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status = new Run(root, options).call();
        System.exit(status);
    }

    static void log(String msg) {
        System.out.println("[bench] " + msg);
    }

    /** Runs {@code task} on a daemon thread of its own at {@code atNanos} (System.nanoTime), e.g. when the measured window starts. */
    static Thread at(String threadName, long atNanos, Runnable task) {
        Thread t = new Thread(() -> {
            long wait = atNanos - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            task.run();
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** One benchmark run, start to finish. */
    static final class Run {
        private final Path root;
        private final BenchOptions options;
        private final Path home;
        private LocalStack stack;
        /** The machine's single-core speed before the stack started ({@link CpuProbe}). */
        private double probeBefore;
        /** The run's report, written once the stack has stopped and the second probe is in it. */
        private RunReport finished;
        /** When the load's first request was due, on the wall clock (the rules' time buckets fall on it). */
        private java.time.Instant loadStartedAt;

        Run(Path root, BenchOptions options) {
            this.root = root;
            this.options = options;
            this.home = root.resolve(".local").resolve("bench");
        }

        int call() throws Exception {
            OffsetDateTime startedAt = OffsetDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS);
            double[] loadBefore = ProcStats.loadAverage();
            if (loadBefore[0] >= 2) {
                log(String.format(Locale.ROOT, "warning: the machine is busy (1-minute load %.2f): the numbers will show it", loadBefore[0]));
            }
            BenchData data = BenchData.generate(options.size());
            probeBefore = CpuProbe.sha256MegabytesPerSecond(2_000);
            Map<LocalStack.Service, List<String>> extra = new HashMap<>();
            String rateNote = gatewayRate(options.rate(), data.pharmacyCount(), extra);
            if (options.profile()) {
                profile(options.out(), extra);
                PgStatements.enable();
            }
            Thread hook = new Thread(this::stop, "bench-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                log("starting a fresh stack in " + home + " (free ports)");
                stack = LocalStack.start(new LocalStack.Options(root, home, true, 0, 0, Map.of(), "256m", extra));
                log("loading the " + options.size() + " demo registry " + data.counts());
                AdminClient admin = new AdminClient("bench-admin", "admin", "agency-officer", "auditor", "finance-maker");
                List<PosClient.Terminal> terminals = data.load(stack, admin, home.resolve("state/terminals.csv"));
                awaitTerminals(stack.url(LocalStack.Service.GATEWAY), terminals, Duration.ofSeconds(180));

                log("baseline: Kafka produce→consume on a throw-away topic");
                KafkaBaseline.Result kafka = KafkaBaseline.run(stack.bootstrapServers(), Duration.ofSeconds(5), 20_000, 1024);
                log("baseline: PostgreSQL single-row commits");
                PostgresBaseline.Result pg = PostgresBaseline.run(stack.postgres(), Duration.ofSeconds(5), 8);

                Schedule schedule = new Schedule(System.nanoTime() + 2_000_000_000L, options.rate(), options.warmup(),
                        options.duration());
                Results results = new Results(schedule);
                java.time.Instant wallStart = java.time.Instant.now().plusNanos(schedule.startNanos() - System.nanoTime());
                loadStartedAt = wallStart.truncatedTo(ChronoUnit.SECONDS);
                ProcSampler sampler = sampler();
                try (AlertWatcher alerts = new AlertWatcher(stack.bootstrapServers(), results);
                     PathWatcher path = options.path() ? new PathWatcher(stack.bootstrapServers()) : null) {
                    alerts.awaitAssignment(Duration.ofSeconds(30));
                    Workload workload = new Workload(data, terminals, Workload.Mix.standard(), SEED, System::currentTimeMillis);
                    LoadGenerator load = new LoadGenerator(stack.url(LocalStack.Service.GATEWAY), workload, schedule, results,
                            MAX_IN_FLIGHT, REQUEST_TIMEOUT, alerts, path);
                    sampler.start();
                    // the first readings of the window's counters go a few seconds before the window: they
                    // scrape every service and query the database, and taken at its start they put a
                    // spike of 130-410 ms into its first second (docs/performance.md, step 37)
                    long countersFrom = schedule.measuredStartNanos() - Math.min(COUNTERS_LEAD.toNanos(), options.warmup().toNanos());
                    ThreadWindow threadWindow = new ThreadWindow(stack.pids(), countersFrom);
                    PgWal wal = PgWal.startAt(stack.postgres(), countersFrom);
                    Map<String, String> serviceUrls = new LinkedHashMap<>();
                    for (LocalStack.Service s : List.of(LocalStack.Service.GATEWAY, LocalStack.Service.SETTLEMENT,
                            LocalStack.Service.AUDIT)) {
                        serviceUrls.put(s.module, stack.url(s));
                    }
                    ServiceTimers timers = ServiceTimers.startAt(serviceUrls, countersFrom);
                    if (options.profile()) {
                        PgStatements.resetAt(stack.postgres(), countersFrom);
                    }
                    long analyzeAt = schedule.startNanos() + Math.min(ANALYZE_AFTER.toNanos(), options.warmup().toNanos() / 2);
                    AnalyzeStep analyze = options.analyze() && !options.warmup().isZero()
                            ? new AnalyzeStep(stack.postgres(), analyzeAt) : null;
                    log(String.format(Locale.ROOT, "load: %.0f/s, warm-up %d s, measured %d s (%d requests)", options.rate(),
                            options.warmup().toSeconds(), options.duration().toSeconds(), schedule.totalCount()));
                    load.run();
                    long loadEnd = System.nanoTime();
                    wal.end();
                    timers.end();
                    String analyzeNote = analyze == null ? "not run (--no-analyze, or no warm-up)" : analyze.note();
                    Map<String, List<ThreadCpu.Group>> threads = threadWindow.end(loadEnd);
                    log("load done; waiting for the last alerts and decisions");
                    java.util.function.Predicate<String> reachedKafka = msgId -> {
                        Purchase p = workload.purchase(msgId);
                        return p != null && (p.httpStatus == 200 || p.httpStatus == 202 || "TIMEOUT".equals(p.status));
                    };
                    if (options.profile()) {
                        PgStatements.write(stack.postgres(), options.out(), results.measuredSent());
                    }
                    long alertsMissing = alerts.awaitAll(ALERT_GRACE, reachedKafka);
                    List<ProcSampler.Usage> usage = sampler.usage(schedule.measuredStartNanos(), loadEnd);
                    sampler.close();

                    log("reconciling with the settlement database");
                    Reconciliation.Outcome rec;
                    long backlog;
                    long[] committed;
                    try (SettlementDb db = new SettlementDb(stack.postgres())) {
                        awaitQuiet(db);
                        backlog = db.outboxBacklog();
                        committed = db.committedPerSecond(wallStart, results.timelineCapacity());
                        SettlementDb.Snapshot snap = db.snapshot();
                        rec = Reconciliation.check(workload.purchases().values(), snap.rows(), snap.duplicateMsgIds(),
                                data.initialBalances(), snap.totalBalance());
                    }

                    finished = report(startedAt, loadBefore, rateNote, data, workload, schedule, results, kafka, pg,
                            usage, threads, alerts, alertsMissing, rec, backlog, committed, analyzeNote,
                            path == null ? Map.of() : path.segments(), wal, PgWal.settings(stack.postgres()), timers.rows());
                    return 0;
                } finally {
                    sampler.close();
                }
            } finally {
                stop();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down
                }
                if (finished != null) {
                    // the machine's speed with nothing of ours running on it (the map is the report's own, still open)
                    finished.machine().put("cpuProbe", CpuProbe.describe(probeBefore, CpuProbe.sha256MegabytesPerSecond(2_000)));
                    ReportWriter.write(finished, options.out());
                    printSummary(finished);
                    log("report: " + options.out().resolve("report.md"));
                }
            }
        }

        private synchronized void stop() {
            if (stack != null) {
                log("stopping the stack");
                stack.close();
                stack = null;
            }
        }

        private ProcSampler sampler() {
            ProcSampler s = new ProcSampler(ProcStats.ticksPerSecond());
            Map<String, Long> pids = stack.pids();
            pids.forEach((name, pid) -> s.group(name, () -> List.of(pid), false));
            Path pgData = home.resolve("pg");
            s.group("postgresql", new java.util.function.Supplier<>() {
                private List<Long> cached = List.of();
                private long listedAt;

                // listing the postmaster's children scans all of /proc: every 5 s (backends are pooled, they last)
                @Override
                public List<Long> get() {
                    if (System.nanoTime() - listedAt > 5_000_000_000L || cached.isEmpty()) {
                        OptionalLong postmaster = ProcStats.postmasterPid(pgData);
                        List<Long> all = new ArrayList<>();
                        if (postmaster.isPresent()) {
                            all.add(postmaster.getAsLong());
                            all.addAll(ProcStats.children(postmaster.getAsLong()));
                        }
                        cached = all;
                        listedAt = System.nanoTime();
                    }
                    return cached;
                }
            }, true);
            long self = ProcessHandle.current().pid();
            s.group("load generator (this JVM)", () -> List.of(self), false);
            return s;
        }

        /**
         * Waits until the settlement table stops growing (two seconds without a new row): requests answered
         * 202 or timed out may still be in the settlement service's backlog. At most {@link #DRAIN}.
         */
        private static void awaitQuiet(SettlementDb db) throws Exception {
            long last = -1;
            int quiet = 0;
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (System.nanoTime() < deadline) {
                long n = db.count();
                quiet = n == last ? quiet + 1 : 0;
                if (quiet >= 2) {
                    return;
                }
                if (last >= 0 && n != last) {
                    log("settlement still committing a backlog: " + n + " rows");
                }
                last = n;
                Thread.sleep(1_000);
            }
            log("warning: the settlement table still grows after " + DRAIN.toSeconds() + " s; reconciling a moving target");
        }

        private RunReport report(OffsetDateTime startedAt, double[] loadBefore, String rateNote, BenchData data,
                                 Workload workload, Schedule schedule, Results results, KafkaBaseline.Result kafka,
                                 PostgresBaseline.Result pg, List<ProcSampler.Usage> usage,
                                 Map<String, List<ThreadCpu.Group>> threads, AlertWatcher alerts,
                                 long alertsMissing, Reconciliation.Outcome rec, long backlog, long[] committed,
                                 String analyzeNote, Map<String, LatencySummary> path, PgWal wal, String pgSettings,
                                 List<ServiceTimers.Row> serviceTimers) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("startedAt", startedAt.toString());
            run.put("finishedAt", OffsetDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).toString());
            run.put("offeredRate", options.rate());
            run.put("warmupSeconds", options.warmup().toSeconds());
            run.put("measuredSeconds", options.duration().toSeconds());
            // on the wall clock: audit's windows fall on it (AUD-07's 10-minute buckets turn for every terminal at once)
            run.put("measuredFrom", loadStartedAt.plus(options.warmup()).toString());
            run.put("measuredTo", loadStartedAt.plus(options.warmup()).plus(options.duration()).toString());
            run.put("size", options.size());
            run.put("requestsScheduled", schedule.totalCount());
            run.put("seed", SEED);

            Map<String, Object> machine = new LinkedHashMap<>();
            machine.put("cores", ProcStats.cores());
            machine.put("cpu", ProcStats.cpuModel());
            machine.put("memoryMb", ProcStats.memTotalKb() / 1024);
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            machine.put("java", System.getProperty("java.version"));
            machine.put("loadBefore", loads(loadBefore));
            machine.put("loadAfter", loads(ProcStats.loadAverage()));

            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("demo registry", data.counts());
            setup.put("terminals", data.pharmacyCount() + " (one per pharmacy; each person buys at a pharmacy of their region)");
            Workload.Mix mix = workload.mix();
            setup.put("mix", String.format(Locale.ROOT, "cancel %.1f%%, reversal %.1f%%, NON_MEDICAL %.1f%%, unknown item %.1f%%; "
                            + "chronic persons buy their disease item on an e-prescription %.0f%% of the time, other purchases are "
                            + "Rx on an e-prescription %.0f%% of the time", mix.cancel() * 100, mix.reversal() * 100,
                    mix.nonMedical() * 100, mix.unknownItem() * 100, mix.chronicRx() * 100, mix.poolingRx() * 100));
            setup.put("gateway per-terminal rate", rateNote);
            setup.put("service heap", "-Xmx256m each (as the local run)");
            setup.put("JIT and GC", "JIT " + envOr("PC_JIT", "C2 in the broker, C1 only (-XX:TieredStopAtLevel=1) in the services") + "; GC "
                    + envOr("PC_GC", "G1") + (System.getenv("PC_JVM_OPTS") == null ? "" : "; extra JVM options " + System.getenv("PC_JVM_OPTS"))
                    + "; lower CPU priority (nice) " + java.util.Objects.requireNonNullElse(ManagedProcess.niceSetting(), "none"));
            setup.put("HTTP client", LoadGenerator.describe(MAX_IN_FLIGHT, REQUEST_TIMEOUT));
            setup.put("PostgreSQL settings", pgSettings);
            setup.put("outbox rows unpublished after the run", backlog);
            setup.put("ANALYZE of every database " + Math.min(ANALYZE_AFTER.toSeconds(), options.warmup().toSeconds() / 2)
                    + " s into the warm-up", analyzeNote);

            Map<String, Object> throughput = new LinkedHashMap<>();
            throughput.put("offered (requests/s)", options.rate());
            throughput.put("requests sent in the measured window", results.measuredSent());
            throughput.put("answered HTTP 200", results.measuredOk());
            throughput.put("of which SETTLED purchases", results.measuredSettled());
            throughput.put("achieved (HTTP 200 answers/s)", round1(results.achievedPerSecond()));
            throughput.put("settlements/s (SETTLED)", round1(results.settledPerSecond()));
            int from = schedule.secondOf(schedule.warmupCount());
            int to = (int) Math.min(committed.length, from + options.duration().toSeconds());
            long committedInWindow = 0;
            for (int sec = from; sec < to; sec++) {
                committedInWindow += committed[sec];
            }
            throughput.put("settlement rows committed/s during the window (database, any answer)",
                    round1(committedInWindow / (double) Math.max(1, to - from)));
            cpuCost(throughput, usage, committedInWindow / (double) Math.max(1, to - from));
            // the WAL counters were first read COUNTERS_LEAD before the window: the same span of commits
            int walFrom = Math.max(0, from - (int) Math.min(COUNTERS_LEAD.toSeconds(), options.warmup().toSeconds()));
            long committedForWal = committedInWindow;
            for (int sec = walFrom; sec < from; sec++) {
                committedForWal += committed[sec];
            }
            throughput.putAll(wal.figures(committedForWal, to - walFrom));
            throughput.put("errors (4xx, 5xx, timeouts, I/O)", results.errors());
            throughput.put("202 PENDING", results.pending());

            Map<String, LatencySummary> byKind = new LinkedHashMap<>();
            results.latencyByKind().forEach((k, v) -> byKind.put(k.label, v));

            Map<String, Object> generator = new LinkedHashMap<>();
            generator.put("max lag behind schedule (ms)", round1(results.maxSenderLagMs()));
            generator.put("sends more than 10 ms late", results.lateSends());

            Map<String, Object> alertFigures = new LinkedHashMap<>();
            alertFigures.put("NON_MEDICAL requests expecting an alert", alerts.expectedCount());
            alertFigures.put("their alerts seen", alerts.seenCount());
            alertFigures.put("missing (request reached Kafka, no alert within " + ALERT_GRACE.toSeconds() + " s after the load)",
                    alertsMissing);
            alertFigures.put("all alerts seen by rule", alerts.alertsByRule());

            List<ProcSampler.Usage> services = usage.stream().filter(u -> u.name().endsWith("-service")
                    || u.name().equals("pharmacy-gateway")).toList();
            List<Targets.Row> targets = Targets.evaluate(new Targets.Inputs(options.rate(), options.duration().toSeconds(),
                    results.achievedPerSecond(), results.latency(), results.errors(), results.pending(), rec.ok(),
                    results.alertLatency(), alertsMissing, services));
            return new RunReport(run, machine, setup, throughput, results.latency(), byKind, results.outcomes(),
                    results.warmupOutcomes(), results.rejectCodes(), results.unexpectedRejects(), generator,
                    results.alertLatency(), alertFigures, usage, threads, kafka, pg,
                    RunReport.ratios(results.latency(), results.achievedPerSecond(), kafka, pg), rec.ok(), rec.checks(),
                    rec.figures(), targets, results.timeline(committed), path, serviceTimers);
        }

        /**
         * Where the limit is: CPU milliseconds (of one core) each process spent per settlement row
         * committed in the window, their sum for the system (broker, database, services; not the load
         * generator nor "other"), and the cores that cost would need at the headline rate.
         */
        static void cpuCost(Map<String, Object> out, List<ProcSampler.Usage> usage, double committedPerSecond) {
            if (committedPerSecond <= 0) {
                return;
            }
            double total = 0;
            StringBuilder parts = new StringBuilder();
            for (ProcSampler.Usage u : usage) {
                if (u.name().equals(ProcSampler.MACHINE) || u.name().equals(ProcSampler.OTHER) || u.name().startsWith("load generator")) {
                    continue;
                }
                double ms = u.cpuAvgPercent() / 100.0 * 1000.0 / committedPerSecond;
                total += ms;
                parts.append(parts.length() == 0 ? "" : ", ").append(u.name()).append(' ').append(String.format(Locale.ROOT, "%.2f", ms));
            }
            out.put("CPU per settlement committed, ms of one core (system: broker + database + services)",
                    String.format(Locale.ROOT, "%.2f (%s)", total, parts));
            out.put("cores that CPU cost needs at 2,000 settlements/s", String.format(Locale.ROOT, "%.1f", total * 2000 / 1000.0));
        }

        private static String loads(double[] l) {
            return String.format(Locale.ROOT, "%.2f %.2f %.2f", l[0], l[1], l[2]);
        }

        private static double round1(double v) {
            return Math.round(v * 10.0) / 10.0;
        }

        private static void printSummary(RunReport r) {
            System.out.println();
            for (Targets.Row t : r.targets()) {
                System.out.printf(Locale.ROOT, "  %-14s %s: %s (required %s)%n", t.verdict(), t.target(), t.measured(), t.required());
            }
            LatencySummary l = r.posLatency();
            System.out.printf(Locale.ROOT, "  POS latency ms: p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (%d requests)%n",
                    l.p50(), l.p95(), l.p99(), l.p999(), l.max(), l.count());
            System.out.println("  reconciliation: " + (r.reconciled() ? "ok" : "FAILED"));
            System.out.println();
        }
    }

    /**
     * {@code ANALYZE} of the four databases once the warm-up has put rows into the empty settlement,
     * supply, accumulator and outbox tables. A fresh database has no statistics: the plans each pooled
     * connection caches while the tables are empty (foreign-key checks included) keep scanning them
     * until autovacuum's first analyze, a minute or more later (measured by the settlement engineer,
     * docs/performance.md, issue 3). A production database has statistics; this puts the benchmark's
     * fresh one in the same state before the measured window. {@code --no-analyze} leaves it out.
     */
    static final class AnalyzeStep {
        private volatile String note = "did not run before the load ended";

        AnalyzeStep(cn.pharmacyclaims.testinfra.RealPostgres pg, long atNanos) {
            at("bench-analyze", atNanos, () -> {
                note = analyzeAll(pg);
                log("ANALYZE during the warm-up: " + note);
            });
        }

        String note() {
            return note;
        }
    }

    static String analyzeAll(cn.pharmacyclaims.testinfra.RealPostgres pg) {
        long t0 = System.nanoTime();
        StringBuilder failures = new StringBuilder();
        for (LocalStack.Service s : LocalStack.Service.values()) {
            String db = s == LocalStack.Service.GATEWAY ? "gateway" : s == LocalStack.Service.SETTLEMENT ? "settlement"
                    : s == LocalStack.Service.AGREEMENT ? "agreement" : "audit";
            try (java.sql.Connection c = pg.connect(db); java.sql.Statement st = c.createStatement()) {
                st.execute("ANALYZE");
            } catch (java.sql.SQLException e) {
                failures.append(' ').append(db).append(": ").append(e.getMessage());
            }
        }
        return String.format(Locale.ROOT, "gateway, settlement, agreement, audit analysed in %.0f ms%s",
                (System.nanoTime() - t0) / 1e6, failures.length() == 0 ? "" : "; failed:" + failures);
    }

    /** Thread CPU of every JVM (broker, services, this one) from the start of the measured window to the end of the load. */
    static final class ThreadWindow {
        private final Map<String, Long> pids = new LinkedHashMap<>();
        private final Map<String, Map<Long, ThreadCpu.Reading>> start = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread reader;
        private volatile long startedAt;

        ThreadWindow(Map<String, Long> jvms, long atNanos) {
            pids.putAll(jvms);
            pids.put("load generator (this JVM)", ProcessHandle.current().pid());
            reader = at("bench-thread-window", atNanos, () -> {
                startedAt = System.nanoTime();
                pids.forEach((name, pid) -> start.put(name, ThreadCpu.read(pid)));
            });
        }

        Map<String, List<ThreadCpu.Group>> end(long atNanos) throws InterruptedException {
            reader.join(10_000);
            Map<String, List<ThreadCpu.Group>> out = new LinkedHashMap<>();
            long tps = ProcStats.ticksPerSecond();
            pids.forEach((name, pid) -> {
                Map<Long, ThreadCpu.Reading> before = start.get(name);
                if (before != null) {
                    out.put(name, ThreadCpu.diff(before, ThreadCpu.read(pid), atNanos - startedAt, tps, 6));
                }
            });
            return out;
        }
    }

    /**
     * The gateway's per-terminal token bucket (default 10/s, burst 20) would refuse a small registry's
     * few terminals at a high rate. When the average per terminal exceeds a third of the default, the
     * bench raises the bucket on the command line (4× the average, burst 2× that) and says so in the report.
     */
    /**
     * {@code --profile}: a JDK Flight Recorder recording ("profile" settings: method samples every
     * 10-20 ms, allocations, locks) of every service, written to {@code <out>/<service>.jfr} when it
     * stops. Costs a few percent of CPU; summarise with {@code jfr print --events jdk.ExecutionSample}.
     */
    static void profile(Path out, Map<LocalStack.Service, List<String>> extra) throws java.io.IOException {
        java.nio.file.Files.createDirectories(out);
        for (LocalStack.Service s : LocalStack.Service.values()) {
            List<String> args = new ArrayList<>(extra.getOrDefault(s, List.of()));
            args.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + out.resolve(s.module + ".jfr").toAbsolutePath());
            extra.put(s, args);
        }
    }

    static String gatewayRate(double rate, int terminals, Map<LocalStack.Service, List<String>> extra) {
        double perTerminal = rate / Math.max(1, terminals);
        if (perTerminal * 3 <= 10) {
            return String.format(Locale.ROOT, "default (10/s, burst 20); average load %.2f/s per terminal", perTerminal);
        }
        long perSecond = (long) Math.ceil(perTerminal * 4);
        long burst = Math.max(20, perSecond * 2);
        extra.put(LocalStack.Service.GATEWAY, List.of("-Dpc.gateway.rate.per-second=" + perSecond,
                "-Dpc.gateway.rate.burst=" + burst));
        return String.format(Locale.ROOT, "raised to %d/s, burst %d (average load %.2f/s per terminal on %d terminals)",
                perSecond, burst, perTerminal, terminals);
    }

    /**
     * The gateway learns terminals and settlement learns pharmacies from Kafka: waits until a preview
     * (CLM-13, changes nothing) passes end to end at every terminal. Also warms every path up.
     */
    static void awaitTerminals(String gatewayUrl, List<PosClient.Terminal> terminals, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<PosClient.Terminal> waiting = new ArrayList<>(terminals);
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        int seq = 0;
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            List<PosClient.Terminal> stillWaiting = new ArrayList<>();
            for (int from = 0; from < waiting.size(); from += 32) {
                List<PosClient.Terminal> batch = waiting.subList(from, Math.min(waiting.size(), from + 32));
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (PosClient.Terminal t : batch) {
                    String msgId = t.pharmacyCode() + OffsetDateTime.now(PosClient.BEIJING)
                            .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + String.format("%04d", seq++ % 10000);
                    String body = DemoData.purchase(msgId, t.pharmacyCode(), DemoData.DEMO_PSN, DemoData.DEMO_CERT,
                            DemoData.ITEM_COLD_REMEDY, "1", "18.00");
                    answers.add(http.sendAsync(signedPost(gatewayUrl, t, "/api/v1/settlements/preview", body),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (int i = 0; i < batch.size(); i++) {
                    try {
                        HttpResponse<String> r = answers.get(i).join();
                        boolean ok = r.statusCode() == 200 && !r.body().contains("PHARMACY_UNKNOWN")
                                && !r.body().contains("TERMINAL_PHARMACY_MISMATCH") && !r.body().contains("AGREEMENT_NOT_ACTIVE");
                        if (!ok) {
                            stillWaiting.add(batch.get(i));
                            last = r.statusCode() + " " + r.body();
                        }
                    } catch (RuntimeException e) {
                        stillWaiting.add(batch.get(i));
                        last = e.toString();
                    }
                }
            }
            waiting = stillWaiting;
            if (!waiting.isEmpty()) {
                Thread.sleep(1_000);
            }
        }
        if (!waiting.isEmpty()) {
            throw new IllegalStateException(waiting.size() + " of " + terminals.size()
                    + " terminals still fail the preview probe; last answer: " + last);
        }
        log("end-to-end path ready: a preview passed at all " + terminals.size() + " terminals");
    }

    static HttpRequest signedPost(String baseUrl, PosClient.Terminal t, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String nonce = UUID.randomUUID().toString();
        String ts = PosClient.now();
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(15))
                .header(PosSignature.HEADER_TERMINAL, t.terminalId())
                .header(PosSignature.HEADER_TIMESTAMP, ts)
                .header(PosSignature.HEADER_NONCE, nonce)
                .header(PosSignature.HEADER_SIGNATURE, PosSignature.sign(t.secret(), "POST", path, ts, nonce, bytes))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    }

    private static String envOr(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : name + "=" + v;
    }
}
