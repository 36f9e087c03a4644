package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.audit.rules.Fixtures;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one decision costs the intake in a steady state like the benchmark's (`small` registry: 50
 * pharmacies with one terminal each, 2,000 persons, {@code audit.perf.rate} decisions per second of
 * event time): the windows are first filled through the batch path, then the next decisions are
 * timed through the one-decision path and through the batch path. A measurement, printed, never
 * asserted; off by default ({@code -Daudit.perf=true}) as it takes minutes.
 *
 * <p>With {@code -Dpc.pg.config=shared_preload_libraries=pg_stat_statements} it also prints, per phase,
 * the rows the statements on {@code recent_settlement} returned per decision and the costliest of them.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
@EnabledIfSystemProperty(named = "audit.perf", matches = "true")
class IntakeCostTest {
    private static final int PHARMACIES = 50;
    private static final int PERSONS = 2000;

    @Inject
    DecisionBatchProcessor batches;
    @Inject
    DecisionProcessor single;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void costPerDecision_oneByOne_versusBatches() {
        int rate = Integer.getInteger("audit.perf.rate", 200);
        int warmSeconds = Integer.getInteger("audit.perf.warm-seconds", 60);
        int measured = Integer.getInteger("audit.perf.decisions", 1000);
        int poll = Integer.getInteger("audit.perf.poll", 250);
        OffsetDateTime start = OffsetDateTime.now(Beijing.ZONE).minusHours(2);

        List<SettlementDecision> a = stream(start, rate, warmSeconds, measured);
        List<SettlementDecision> b = stream(start, rate, warmSeconds, measured);
        int warm = rate * warmSeconds;
        long t0 = System.nanoTime();
        for (int i = 0; i < warm; i += 500) {
            batches.processBatch(a.subList(i, Math.min(warm, i + 500))).await().indefinitely();
            batches.processBatch(b.subList(i, Math.min(warm, i + 500))).await().indefinitely();
        }
        System.out.printf("[intake-cost] warmed 2 x %d decisions in %.1f s%n", warm, (System.nanoTime() - t0) / 1e9);

        java.util.Map<Long, Stmt> s0 = statements();
        Cpu c0 = Cpu.now();
        t0 = System.nanoTime();
        for (SettlementDecision d : a.subList(warm, warm + measured)) {
            single.process(d).await().indefinitely();
        }
        double oneByOne = (System.nanoTime() - t0) / 1e6 / measured;
        Cpu c1 = Cpu.now();
        java.util.Map<Long, Stmt> s1 = statements();
        Cpu c1b = Cpu.now(); // the statement figures' own cost counts in neither phase
        t0 = System.nanoTime();
        for (int i = warm; i < warm + measured; i += poll) {
            batches.processBatch(b.subList(i, Math.min(warm + measured, i + poll))).await().indefinitely();
        }
        double batched = (System.nanoTime() - t0) / 1e6 / measured;
        Cpu c2 = Cpu.now();
        java.util.Map<Long, Stmt> s2 = statements();
        System.out.printf("[intake-cost] %d decisions/s of event time, %d terminals, after %d s, per decision:"
                        + " one per transaction %.2f ms wall, CPU %.2f ms service + %.2f ms PostgreSQL;"
                        + " polls of %d %.3f ms wall, CPU %.3f ms service + %.3f ms PostgreSQL%n",
                rate, PHARMACIES, warmSeconds, oneByOne, (c1.jvm - c0.jvm) / 1e6 / measured, (c1.pg - c0.pg) / 1e6 / measured,
                poll, batched, (c2.jvm - c1b.jvm) / 1e6 / measured, (c2.pg - c1b.pg) / 1e6 / measured);
        printStatements("one per transaction", s0, s1, measured);
        printStatements("polls of " + poll, s1, s2, measured);
        assertThat(oneByOne).isPositive();
    }

    /** One statement's cumulative counters (pg_stat_statements). */
    private record Stmt(String query, long calls, long rows, double ms) {
    }

    /** The statements on recent_settlement so far; empty when pg_stat_statements is not preloaded. */
    private java.util.Map<Long, Stmt> statements() {
        java.util.Map<Long, Stmt> out = new java.util.HashMap<>();
        try {
            pool.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").execute().await().indefinitely();
            pool.query("SELECT queryid, query, calls, rows, total_exec_time FROM pg_stat_statements"
                            + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                            + " AND query LIKE '%recent_settlement%'").execute().await().indefinitely()
                    .forEach(r -> out.put(r.getLong("queryid"), new Stmt(r.getString("query"), r.getLong("calls"),
                            r.getLong("rows"), r.getDouble("total_exec_time"))));
        } catch (RuntimeException notLoaded) {
            // pg_stat_statements not in shared_preload_libraries: no statement figures
        }
        return out;
    }

    private static void printStatements(String phase, java.util.Map<Long, Stmt> before, java.util.Map<Long, Stmt> after, int decisions) {
        if (after.isEmpty()) {
            return;
        }
        List<Stmt> diff = new ArrayList<>();
        after.forEach((id, a) -> {
            Stmt b = before.getOrDefault(id, new Stmt(a.query(), 0, 0, 0));
            if (a.calls() > b.calls()) {
                diff.add(new Stmt(a.query(), a.calls() - b.calls(), a.rows() - b.rows(), a.ms() - b.ms()));
            }
        });
        diff.sort(java.util.Comparator.comparingDouble(Stmt::ms).reversed());
        long read = diff.stream().filter(x -> x.query().stripLeading().toUpperCase().startsWith("SELECT")).mapToLong(Stmt::rows).sum();
        double ms = diff.stream().mapToDouble(Stmt::ms).sum();
        System.out.printf("[intake-cost] %s: statements on recent_settlement returned %.2f rows per decision (SELECTs),"
                + " %.3f ms of execution per decision%n", phase, (double) read / decisions, ms / decisions);
        diff.stream().limit(6).forEach(x -> {
            String q = x.query().replaceAll("\\s+", " ");
            System.out.printf("[intake-cost]   %6d calls %8d rows %9.1f ms  %s%n", x.calls(), x.rows(), x.ms(),
                    q.substring(0, Math.min(200, q.length())));
        });
    }

    /** CPU time (ns) of this JVM and of the PostgreSQL processes (the test's own server), from /proc. */
    private record Cpu(long jvm, long pg) {
        static Cpu now() {
            long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long ticks = 0;
            java.io.File[] procs = new java.io.File("/proc").listFiles(f -> f.getName().chars().allMatch(Character::isDigit));
            for (java.io.File p : procs == null ? new java.io.File[0] : procs) {
                try {
                    String stat = java.nio.file.Files.readString(p.toPath().resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
            return new Cpu(jvm, ticks * 10_000_000L); // USER_HZ = 100
        }
    }

    /** The benchmark's mix, roughly: purchases at the person's own pharmacy, 2% NON_MEDICAL, 1% cancellations. */
    private static List<SettlementDecision> stream(OffsetDateTime start, int rate, int warmSeconds, int measured) {
        String prefix = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Random random = new Random(42);
        List<SettlementDecision> out = new ArrayList<>();
        int n = rate * warmSeconds + measured;
        for (int i = 0; i < n; i++) {
            OffsetDateTime at = start.plusNanos(1_000_000_000L / rate * i);
            int person = random.nextInt(PERSONS);
            int pharmacy = person % PHARMACIES;
            String psn = prefix + "N" + person;
            String code = prefix + "P" + pharmacy;
            String terminal = prefix + "T" + pharmacy;
            int kind = random.nextInt(100);
            if (kind < 2) {
                out.add(Fixtures.rejected(psn, code, terminal, at, RejectCode.NON_MEDICAL_ITEM, "not a medical item",
                        Fixtures.requestLine(1, "NM9900000000001", "NON_MEDICAL", "1", "19.90")));
            } else if (kind < 3 && !out.isEmpty() && out.get(out.size() - 1).setlId() != null) {
                out.add(Fixtures.cancelled(out.get(out.size() - 1)));
            } else {
                String total = (10 + random.nextInt(150)) + "." + (10 + random.nextInt(89));
                out.add(Fixtures.settled(Fixtures.setl(), psn, code, terminal, at, total,
                        Fixtures.line(1, "XC08CAA0450" + (100 + random.nextInt(400)), "A", "1", total, 7)));
            }
        }
        return out;
    }
}
