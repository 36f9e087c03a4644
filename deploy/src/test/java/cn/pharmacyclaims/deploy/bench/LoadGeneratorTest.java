package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.deploy.PosClient;
import cn.pharmacyclaims.testinfra.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against a stand-in gateway ({@link StubGateway}): what it sends (SEC-01 signed,
 * fresh nonces, keep-alive connections) and how it records answers, timeouts, refused connections
 * and the in-flight bound.
 */
class LoadGeneratorTest {
    static BenchData data;
    static List<PosClient.Terminal> terminals;
    static Map<String, String> secrets;

    @BeforeAll
    static void registry() {
        data = BenchData.generate("small");
        terminals = new ArrayList<>();
        secrets = new HashMap<>();
        data.pharmaciesByRegion().values().forEach(codes -> codes.forEach(c -> {
            terminals.add(new PosClient.Terminal("T-" + c, c, "secret-" + c));
            secrets.put("T-" + c, "secret-" + c);
        }));
    }

    record Run(Workload workload, Results results) {
    }

    static Run run(String url, double rate, Duration length, int maxInFlight, Duration timeout) throws InterruptedException {
        Workload workload = new Workload(data, terminals, Workload.Mix.standard(), 11, System::currentTimeMillis);
        // a second ahead, as Bench does (2 s): the generator is built meanwhile, and the first slots are not late
        Schedule schedule = new Schedule(System.nanoTime() + 1_000_000_000L, rate, Duration.ZERO, length);
        Results results = new Results(schedule);
        AlertWatcher alerts = new AlertWatcher("127.0.0.1:1", results); // no broker: only expect() is used
        alerts.close();
        new LoadGenerator(url, workload, schedule, results, maxInFlight, timeout, alerts).run();
        return new Run(workload, results);
    }

    @Test
    void sec01EverySlotIsSentSignedWithAFreshNonceAndItsAnswerRecorded() throws Exception {
        try (StubGateway gateway = new StubGateway(5, secrets)) {
            Run run = run("http://localhost:" + gateway.port(), 400, Duration.ofSeconds(1), 2048, Duration.ofSeconds(15));

            assertThat(gateway.requests.get()).isEqualTo(400);
            assertThat(gateway.badSignatures.get()).isZero();
            assertThat(gateway.nonces).hasSize(400);
            assertThat(gateway.hosts).containsExactly("localhost:" + gateway.port());
            assertThat(run.results().outcomes()).containsExactly(Map.entry("200 SETTLED", 400L));
            assertThat(run.results().latency().count()).isEqualTo(400);
            assertThat(run.results().measuredSent()).isEqualTo(400);
            // the POS's view of each purchase, as the reconciliation reads it
            assertThat(run.workload().purchases().values()).isNotEmpty().allSatisfy(p -> {
                assertThat(p.status).isEqualTo("SETTLED");
                assertThat(p.httpStatus).isEqualTo(200);
                assertThat(p.setlId).isEqualTo("S-20261123-000000001");
                assertThat(p.accountPay).isEqualByComparingTo("24.68");
                assertThat(p.rejectCodes).isEmpty();
            });
        }
    }

    @Test
    void connectionsAreKeptAliveAndReused() throws Exception {
        try (StubGateway gateway = new StubGateway(0, secrets)) {
            // 20 ms apart, answered at once: once the first answers are in, requests find idle connections
            Run run = run("http://localhost:" + gateway.port(), 50, Duration.ofSeconds(2), 2048, Duration.ofSeconds(15));

            assertThat(run.results().outcomes()).containsExactly(Map.entry("200 SETTLED", 100L));
            assertThat(gateway.connections.get()).isLessThan(100);
            assertThat(gateway.mostRequestsOnAConnection.get()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void anUnansweredRequestIsATimeoutRecordedAfterTheRequestTimeout() throws Exception {
        try (StubGateway gateway = new StubGateway(-1, null)) {
            long start = System.nanoTime();
            Run run = run("http://localhost:" + gateway.port(), 50, Duration.ofMillis(100), 2048, Duration.ofMillis(400));

            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos()); // run() does not hang
            assertThat(run.results().outcomes()).containsExactly(Map.entry("timeout", 5L));
            assertThat(run.results().latency().p50()).isGreaterThanOrEqualTo(400.0);
            assertThat(run.workload().purchases().values()).allSatisfy(p -> assertThat(p.status).isEqualTo("TIMEOUT"));
        }
    }

    @Test
    void aRefusedConnectionIsAnIoError() throws Exception {
        Run run = run("http://localhost:" + FreePorts.next(), 50, Duration.ofMillis(100), 2048, Duration.ofSeconds(5));

        assertThat(run.results().outcomes()).containsExactly(Map.entry("io-error ConnectException", 5L));
        assertThat(run.workload().purchases().values()).allSatisfy(p -> assertThat(p.status).isEqualTo("ERROR"));
    }

    @Test
    void theInFlightBoundHoldsTheSenderAndTheWaitCountsAsLatency() throws Exception {
        try (StubGateway gateway = new StubGateway(200, secrets)) {
            // 20 slots 10 ms apart, answers after 200 ms, at most 2 in flight: the sender falls behind
            Run run = run("http://localhost:" + gateway.port(), 100, Duration.ofMillis(200), 2, Duration.ofSeconds(15));

            assertThat(gateway.maxInProgress.get()).isEqualTo(2);
            assertThat(run.results().outcomes()).containsExactly(Map.entry("200 SETTLED", 20L));
            assertThat(run.results().maxSenderLagMs()).isGreaterThan(1000.0); // 10 rounds of 200 ms, minus the schedule's 190
            assertThat(run.results().latency().max()).isGreaterThan(1000.0);
        }
    }
}
