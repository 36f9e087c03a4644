package cn.pharmacyclaims.gateway.bench;

import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.gateway.api.PosRequests;
import cn.pharmacyclaims.gateway.api.PosRequests.PosTerminal;
import cn.pharmacyclaims.gateway.support.FakeSettlementQueryApi;
import cn.pharmacyclaims.gateway.support.TestTerminals;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistry;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jdk.jfr.Recording;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How much CPU the gateway spends per POS settlement, end to end through the real broker and
 * database: signed requests at a constant arrival rate (open loop), a stand-in settlement
 * answering each command at once ({@link BenchSettlement}), and the CPU time of the gateway's own
 * threads (event loops, reply and terminal consumers, Kafka producer, workers) read from the JVM
 * before and after. The broker runs in this JVM too; its threads, the client's and the stand-in's
 * are not counted. JIT and GC threads are not counted either.
 *
 * <p>Not part of the module's suite (tag {@code bench}); it asserts nothing about speed, it prints:
 * <pre>./mvnw -B -pl pharmacy-gateway test -Dgroups=bench -Dtest=GatewayCpuBench
 *     [-Dbench.rate=500] [-Dbench.warmup=15000] [-Dbench.requests=20000] [-Dbench.foreign=0] [-Dbench.jfr=true]</pre>
 * {@code bench.foreign}: replies addressed to other instances per command (N+1 instances share the
 * replies topic); {@code bench.jfr}: also record the gateway's threads to {@code target/gateway-bench.jfr}.
 */
@Tag("bench")
@QuarkusTest
@TestProfile(GatewayCpuBench.Unlimited.class)
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(FakeSettlementQueryApi.class)
class GatewayCpuBench {
    /** The terminals' token buckets and the in-flight limit out of the way: the harness sets the rate. */
    public static class Unlimited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pc.gateway.rate.per-second", "1000000", "pc.gateway.rate.burst", "1000000",
                    "pc.gateway.max-in-flight", "100000", "pc.gateway.wait-budget", "3s");
        }
    }

    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final String PATH = "/api/v1/settlements";

    @Inject
    TerminalRegistry registry;
    @Inject
    MeterRegistry meters;

    @TestHTTPResource("/")
    URI base;

    private final AtomicInteger seq = new AtomicInteger();

    @Test
    void cpuPerSettlement() throws Exception {
        int rate = Integer.getInteger("bench.rate", 500);
        int warmup = Integer.getInteger("bench.warmup", 15_000);
        int requests = Integer.getInteger("bench.requests", 20_000);
        int foreign = Integer.getInteger("bench.foreign", 0);
        int terminalCount = Integer.getInteger("bench.terminals", 50);
        boolean jfr = Boolean.getBoolean("bench.jfr");

        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        List<PosTerminal> terminals = new ArrayList<>();
        try (TestTerminals registrar = new TestTerminals(bootstrap, registry)) {
            for (int i = 0; i < terminalCount; i++) {
                terminals.add(registrar.register(PosRequests.newPharmacyCode()));
            }
        }
        ExecutorService clientPool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientPool)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (BenchSettlement settlement = new BenchSettlement(bootstrap, foreign)) {
            Run w = run(client, terminals, rate, warmup);
            System.out.printf("warm-up: %s%n", w.summary());
            Map<String, long[]> kernelBefore = userAndSystem();
            Map<String, Long> before = gatewayCpu();
            Recording recording = jfr ? startRecording() : null;
            Run m = run(client, terminals, rate, requests);
            Map<String, Long> after = gatewayCpu();
            Map<String, long[]> kernelAfter = userAndSystem();
            if (recording != null) {
                Path out = Path.of("target", "gateway-bench.jfr");
                recording.dump(out);
                recording.close();
                System.out.println("recording: " + out.toAbsolutePath());
            }
            StringBuilder report = new StringBuilder();
            report.append(String.format("rate %d/s, %d requests, %d foreign replies per command%n", rate, requests, foreign));
            report.append(String.format("measured: %s%n", m.summary()));
            long total = 0;
            Map<String, Long> delta = new TreeMap<>();
            for (var e : after.entrySet()) {
                long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                delta.put(e.getKey(), d);
                total += d;
            }
            report.append(String.format("gateway CPU per request: %.0f µs (%.1f%% of a core at %d/s)%n",
                    total / 1000.0 / requests, total / 1e7 / m.seconds, rate));
            delta.forEach((k, v) -> report.append(String.format("  %-45s %8.0f µs/request%n", k, v / 1000.0 / requests)));
            kernelAfter.forEach((k, v) -> {
                long[] b = kernelBefore.getOrDefault(k, new long[2]);
                report.append(String.format("  %-20s user %6.0f µs, kernel %6.0f µs per request (/proc ticks)%n", k,
                        (v[0] - b[0]) * 10_000.0 / requests, (v[1] - b[1]) * 10_000.0 / requests));
            });
            DistributionSummary batches = meters.find("pc.gateway.nonce.batch-size").summary();
            if (batches != null) {
                report.append(String.format("nonce statements: %d, mean batch %.2f, max %.0f (whole run)%n",
                        batches.count(), batches.mean(), batches.max()));
            }
            System.out.print(report);
            Files.writeString(Path.of("target", "gateway-bench.txt"), report.toString());
            // a harness, not a test: an overloaded run still reports, and says so in its statuses
            assertThat(m.ok.get()).as("some requests answered 200").isPositive();
        } finally {
            clientPool.shutdownNow();
        }
    }

    private static Recording startRecording() {
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.start();
        return r;
    }

    /** CPU nanoseconds of the gateway's threads, grouped by thread name without its number. */
    private static Map<String, Long> gatewayCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info == null || cpu < 0) {
                continue;
            }
            String name = info.getThreadName();
            if (isGateway(name)) {
                groups.merge(name.replaceAll("[0-9]+", "#"), cpu, Long::sum);
            }
        }
        return groups;
    }

    /** User and kernel time (clock ticks of 10 ms) of the event loops and the replies consumer, from /proc. */
    private static Map<String, long[]> userAndSystem() {
        Map<String, long[]> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    String group = comm.startsWith("vert.x-eventloo") ? "event loops" : comm.equals("gateway-replies") ? comm : null;
                    if (group == null) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long[] acc = out.computeIfAbsent(group, k -> new long[2]);
                    acc[0] += Long.parseLong(f[11]);
                    acc[1] += Long.parseLong(f[12]);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            // not Linux: no split
        }
        return out;
    }

    static boolean isGateway(String name) {
        return name.startsWith("vert.x-") || name.startsWith("gateway-") || name.startsWith("executor-thread")
                || name.startsWith("smallrye-kafka") || name.startsWith("agroal")
                || name.contains("settlement-requests") || name.contains("pharmacy-gateway");
    }

    final class Run {
        final AtomicInteger ok = new AtomicInteger();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final AtomicLong failures = new AtomicLong();
        long[] latencies;
        double seconds;

        String summary() {
            long[] l = latencies.clone();
            Arrays.sort(l);
            return String.format("%.1f s, statuses %s, failures %d, latency p50 %.1f ms p99 %.1f ms max %.1f ms", seconds,
                    statuses, failures.get(), l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6, l[l.length - 1] / 1e6);
        }
    }

    private Run run(HttpClient client, List<PosTerminal> terminals, int rate, int n) throws InterruptedException {
        Run run = new Run();
        run.latencies = new long[n];
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * (1e9 / rate));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            PosTerminal t = terminals.get(i % terminals.size());
            HttpRequest request = signed(t);
            int index = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                run.latencies[index] = System.nanoTime() - due;
                if (e != null) {
                    run.failures.incrementAndGet();
                } else {
                    run.statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 200) {
                        run.ok.incrementAndGet();
                    }
                }
                done.countDown();
            });
        }
        done.await(60, TimeUnit.SECONDS);
        run.seconds = (System.nanoTime() - start) / 1e9;
        return run;
    }

    private HttpRequest signed(PosTerminal t) {
        OffsetDateTime now = OffsetDateTime.now(BEIJING);
        String msgId = t.pharmacyCode() + now.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                + String.format("%04d", seq.incrementAndGet() % 10_000);
        byte[] body = body(msgId, t.pharmacyCode(), "PSN-" + UUID.randomUUID(), now).getBytes(StandardCharsets.UTF_8);
        String timestamp = now.toString();
        String nonce = UUID.randomUUID().toString();
        return HttpRequest.newBuilder(base.resolve(PATH))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header(PosSignature.HEADER_TERMINAL, t.terminalId())
                .header(PosSignature.HEADER_TIMESTAMP, timestamp)
                .header(PosSignature.HEADER_NONCE, nonce)
                .header(PosSignature.HEADER_SIGNATURE, PosSignature.sign(t.secret(), "POST", PATH, timestamp, nonce, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** A three-line purchase on an e-prescription, about the size of the load generator's. */
    private static String body(String msgId, String pharmacyCode, String psnNo, OffsetDateTime now) {
        return """
                {"msgId":"%s","pharmacyCode":"%s","occurredAt":"%s","operatorId":"op-7",\
                "insured":{"psnNo":"%s","certType":"SOCIAL_CARD","certNo":"A12345678"},"useAccount":true,\
                "prescription":{"rxNo":"RX-%s","electronic":true,"institutionCode":"H44010500003","physicianCode":"D0042",\
                "patientPsnNo":"%s","issuedAt":"%s","validDays":30,"diagnosisCode":"E11.9"},\
                "lines":[{"lineNo":1,"itemCode":"XC08CAA0450101","quantity":"2","unitPrice":"12.3400","daysSupply":7,"pharmacistLicence":"PH-0091"},\
                {"lineNo":2,"itemCode":"XA10BAA0120102","quantity":"1","unitPrice":"35.5000","daysSupply":28,"pharmacistLicence":"PH-0091"},\
                {"lineNo":3,"itemCode":"ZB01AAA0330101","quantity":"3","unitPrice":"8.0000","daysSupply":10,"pharmacistLicence":"PH-0091"}]}"""
                .formatted(msgId, pharmacyCode, now.withNano(0), psnNo, msgId, psnNo, now.minusDays(1).withNano(0));
    }
}
