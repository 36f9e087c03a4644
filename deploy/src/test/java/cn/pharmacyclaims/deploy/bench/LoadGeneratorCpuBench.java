package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.deploy.PosClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the load generator itself costs per request: the previous one ({@link JdkLoadGenerator},
 * java.net.http) and the current one ({@link LoadGenerator}, netty) drive a stand-in gateway
 * ({@link StubGateway}, a separate JVM answering every POST with a fixed 200 SETTLED body after
 * {@code bench.delayMs}) at each rate, interleaved, {@code bench.rounds} times. Measured over each
 * run's measured window (after its warm-up): the CPU of this whole JVM (every thread, JIT and GC
 * included: what the benchmark's process sampler reports for the load generator) and of the Java
 * threads by name, divided by the requests due in the window; and the latency the generator
 * recorded (intended send to answer).
 *
 * <p>Not part of the module's suite (tag {@code bench}); it asserts only that every answer came
 * back, and prints a table (also {@code target/load-generator-bench.md}). Run with bench.sh's JVM
 * flags (the {@code bench} profile sets them):
 * <pre>./mvnw -B -pl deploy test -Dgroups=bench -Dtest=LoadGeneratorCpuBench
 *     [-Dbench.rates=300,1000] [-Dbench.seconds=25] [-Dbench.warmup=10] [-Dbench.rounds=2] [-Dbench.delayMs=20]
 *     [-Dbench.generators=java.net.http,netty]</pre>
 */
@Tag("bench")
class LoadGeneratorCpuBench {
    static final int MAX_IN_FLIGHT = Bench.MAX_IN_FLIGHT;
    static final Duration REQUEST_TIMEOUT = Bench.REQUEST_TIMEOUT;

    static Process server;
    static BufferedReader serverOut;
    static int port;
    static BenchData data;
    static List<PosClient.Terminal> terminals;

    @BeforeAll
    static void start() throws Exception {
        data = BenchData.generate("small");
        terminals = new ArrayList<>();
        data.pharmaciesByRegion().values().forEach(codes -> codes.forEach(c -> terminals.add(new PosClient.Terminal("T-" + c, c,
                "secret-" + c))));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StubGateway.class.getName(), Long.toString(Long.getLong("bench.delayMs", 20)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = serverOut.readLine()) != null && !line.startsWith("port ")) {
            // the stand-in's own log lines
        }
        assertThat(line).as("the stand-in gateway's port").isNotNull();
        port = Integer.parseInt(line.substring(5).trim());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroy();
            }
        }
    }

    /** Connections the stand-in has accepted so far. */
    static int connections() throws java.io.IOException {
        server.getOutputStream().write('\n');
        server.getOutputStream().flush();
        String line;
        while ((line = serverOut.readLine()) != null && !line.startsWith("connections ")) {
            // log lines
        }
        return line == null ? -1 : Integer.parseInt(line.substring(12).trim());
    }

    record Row(String generator, int rate, int round, long requests, int connections, double contextSwitchesPerRequest,
               double processCpuMsPerRequest,
               double threadsCpuMsPerRequest, Map<String, Double> byThreadMs, double processCpuPercent, double p50, double p99,
               double maxLagMs, Map<String, Long> outcomes) {
    }

    @Test
    void cpuPerRequestOfTheOldAndTheNewLoadGenerator() throws Exception {
        int[] rates = Arrays.stream(System.getProperty("bench.rates", "300,1000").split(",")).mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
        Duration measured = Duration.ofSeconds(Long.getLong("bench.seconds", 25));
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
        int rounds = Integer.getInteger("bench.rounds", 2);
        List<String> generators = List.of(System.getProperty("bench.generators", "java.net.http,netty").split(","));
        List<Row> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int rate : rates) {
                // alternate which goes first, so that neither always runs on the warmer JVM
                List<String> order = new ArrayList<>(generators);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String generator : order) {
                    Row row = measure(generator, rate, round, warmup, measured);
                    rows.add(row);
                    System.out.println("[load-generator-bench] " + row);
                }
            }
        }
        String table = table(rows, warmup, measured);
        System.out.println(table);
        Files.writeString(Path.of("target", "load-generator-bench.md"), table);
        assertThat(rows).allSatisfy(r -> assertThat(r.outcomes()).containsOnlyKeys("200 SETTLED"));
    }

    private Row measure(String generator, int rate, int round, Duration warmup, Duration measured) throws Exception {
        Workload workload = new Workload(data, terminals, Workload.Mix.standard(), round * 31L + rate, System::currentTimeMillis);
        Schedule schedule = new Schedule(System.nanoTime() + 1_000_000_000L, rate, warmup, measured); // the generator is built meanwhile
        Results results = new Results(schedule);
        AlertWatcher alerts = new AlertWatcher("127.0.0.1:1", results); // no broker: only expect() is used
        alerts.close();
        String url = "http://localhost:" + port;
        Runnable run;
        if (generator.equals("netty")) {
            LoadGenerator g = new LoadGenerator(url, workload, schedule, results, MAX_IN_FLIGHT, REQUEST_TIMEOUT, alerts);
            run = () -> {
                try {
                    g.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        } else {
            JdkLoadGenerator g = new JdkLoadGenerator(url, workload, schedule, results, MAX_IN_FLIGHT, REQUEST_TIMEOUT, alerts);
            run = () -> {
                try {
                    g.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }
        int connectionsBefore = connections();
        Thread sender = new Thread(run, "load-sender");
        System.gc(); // the previous run's garbage is not this run's
        sender.start();
        sleepUntil(schedule.measuredStartNanos());
        Snapshot before = Snapshot.take();
        sleepUntil(schedule.measuredEndNanos());
        Snapshot after = Snapshot.take();
        sender.join();
        long requests = schedule.totalCount() - schedule.warmupCount();
        // java.net.http's callback frees its slot before recording: wait for the last few to be recorded
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (results.outcomes().values().stream().mapToLong(Long::longValue).sum() < requests && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        double windowSeconds = (schedule.measuredEndNanos() - schedule.measuredStartNanos()) / 1e9;
        long processNanos = after.processCpuNanos - before.processCpuNanos;
        Map<String, Double> byThread = new TreeMap<>();
        long threadsNanos = 0;
        for (Map.Entry<Long, Long> e : after.threadCpuNanos.entrySet()) {
            long d = e.getValue() - before.threadCpuNanos.getOrDefault(e.getKey(), 0L);
            if (d <= 0) {
                continue;
            }
            threadsNanos += d;
            byThread.merge(group(after.threadNames.get(e.getKey())), d / 1e6 / requests, Double::sum);
        }
        byThread.replaceAll((k, v) -> round3(v));
        LatencySummary latency = results.latency();
        return new Row(generator, rate, round, requests, connections() - connectionsBefore,
                Math.round((after.contextSwitches - before.contextSwitches) * 10.0 / requests) / 10.0, round3(processNanos / 1e6 / requests), round3(threadsNanos / 1e6 / requests),
                byThread, Math.round(processNanos / 1e9 / windowSeconds * 1000) / 10.0, latency.p50(), latency.p99(),
                results.maxSenderLagMs(), results.outcomes());
    }

    /** Thread names without their numbers: "bench-http", "vert.x-eventloop-thread-", ... */
    static String group(String name) {
        return name == null ? "?" : name.replaceAll("[0-9]+", "#");
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
        }
    }

    /** This JVM's CPU time, and each live Java thread's. */
    record Snapshot(long processCpuNanos, Map<Long, Long> threadCpuNanos, Map<Long, String> threadNames, long contextSwitches) {
        static Snapshot take() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<Long, Long> cpu = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
            long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            return new Snapshot(process, cpu, names, readContextSwitches());
        }

        /** Voluntary and involuntary context switches of all this process's threads (Linux). */
        static long readContextSwitches() {
            long sum = 0;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : tasks.toList()) {
                    try {
                        for (String line : Files.readAllLines(t.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                                sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (java.io.IOException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (java.io.IOException e) {
                return -1;
            }
            return sum;
        }
    }

    static String table(List<Row> rows, Duration warmup, Duration measured) {
        StringBuilder b = new StringBuilder();
        b.append("Load generator CPU per request (").append(warmup.toSeconds()).append(" s warm-up, ").append(measured.toSeconds())
                .append(" s measured per run; JVM flags: ").append(ManagementFactory.getRuntimeMXBean().getInputArguments()
                        .stream().filter(a -> a.startsWith("-X")).toList())
                .append("; stand-in answers after ").append(Long.getLong("bench.delayMs", 20)).append(" ms)\n\n");
        b.append("| generator | rate/s | round | requests | connections opened | context switches/req | process CPU ms/req | Java threads CPU ms/req | CPU % of a core | p50 ms | p99 ms | max sender lag ms |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append("| ").append(r.generator()).append(" | ").append(r.rate()).append(" | ").append(r.round()).append(" | ")
                    .append(r.requests()).append(" | ").append(r.connections()).append(" | ")
                    .append(r.contextSwitchesPerRequest()).append(" | ").append(r.processCpuMsPerRequest()).append(" | ").append(r.threadsCpuMsPerRequest())
                    .append(" | ").append(r.processCpuPercent()).append(" | ").append(r.p50()).append(" | ").append(r.p99())
                    .append(" | ").append(r.maxLagMs()).append(" |\n");
        }
        b.append("\nJava threads, CPU ms per request:\n\n");
        for (Row r : rows) {
            Map<String, Double> top = new LinkedHashMap<>();
            r.byThreadMs().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
                    .forEach(e -> top.put(e.getKey(), e.getValue()));
            b.append("- ").append(r.generator()).append(" ").append(r.rate()).append("/s round ").append(r.round()).append(": ")
                    .append(top).append('\n');
        }
        return b.toString();
    }
}
