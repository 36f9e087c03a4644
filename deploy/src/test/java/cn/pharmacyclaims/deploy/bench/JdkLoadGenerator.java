package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.deploy.PosClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator as it was before {@link LoadGenerator} moved to netty: the same open loop,
 * sending through {@code java.net.http.HttpClient} (HTTP/1.1, a selector thread and two completion
 * threads). Kept, unchanged but for its name, only so that {@link LoadGeneratorCpuBench} can measure
 * both on the same machine in the same session.
 */
public final class JdkLoadGenerator {
    private final String gatewayUrl;
    private final Workload workload;
    private final Schedule schedule;
    private final Results results;
    private final AnswerBook answers;
    private final HttpClient http;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Duration requestTimeout;
    private final AlertWatcher alerts;

    public JdkLoadGenerator(String gatewayUrl, Workload workload, Schedule schedule, Results results, int maxInFlight,
                         Duration requestTimeout, AlertWatcher alerts) {
        this.gatewayUrl = gatewayUrl;
        this.workload = workload;
        this.schedule = schedule;
        this.results = results;
        this.answers = new AnswerBook(workload, results);
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.requestTimeout = requestTimeout;
        this.alerts = alerts;
        // HTTP/1.1 with a pool of keep-alive connections, as POS terminals talk to the gateway
        // HttpClient's default executor is an unbounded cached pool: under overload it grew to hundreds of
        // threads and a few hundred MB, load the system under test then paid for. Two threads only
        // complete responses (record a latency); the selector thread does the I/O.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "bench-http");
                    t.setDaemon(true);
                    return t;
                }))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Sends every slot of the schedule, then waits for the last answers (at most the request timeout). */
    public void run() throws InterruptedException {
        long total = schedule.totalCount();
        for (long i = 0; i < total; i++) {
            long due = schedule.intendedNanos(i);
            waitUntil(due);
            boolean measured = schedule.measured(i);
            Workload.Planned p = workload.next(i, due, measured);
            if (p.kind() == Workload.Kind.NON_MEDICAL && measured) {
                alerts.expect(p.msgId(), due);
            }
            HttpRequest request = signed(p);
            inFlight.acquire();
            results.sent(i, System.nanoTime() - due);
            final long index = i;
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        long done = System.nanoTime();
                        inFlight.release();
                        try {
                            complete(index, p, due, done, response, failure);
                        } catch (RuntimeException e) {
                            results.completed(index, p.kind(), due, done, "client-error " + e.getClass().getSimpleName());
                        }
                    });
        }
        if (!inFlight.tryAcquire(maxInFlight, requestTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            System.out.println("[bench] warning: " + (maxInFlight - inFlight.availablePermits())
                    + " requests still unanswered after the timeout");
        } else {
            inFlight.release(maxInFlight);
        }
    }

    private static void waitUntil(long due) {
        long now;
        while ((now = System.nanoTime()) < due) {
            long left = due - now;
            if (left > 200_000) {
                LockSupport.parkNanos(left - 100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private HttpRequest signed(Workload.Planned p) {
        byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
        String nonce = UUID.randomUUID().toString();
        String timestamp = OffsetDateTime.ofInstant(Instant.now(), PosClient.BEIJING).truncatedTo(ChronoUnit.SECONDS).toString();
        PosClient.Terminal t = p.terminal();
        String signature = PosSignature.sign(t.secret(), "POST", p.path(), timestamp, nonce, body);
        return HttpRequest.newBuilder(URI.create(gatewayUrl + p.path()))
                .timeout(requestTimeout)
                .header(PosSignature.HEADER_TERMINAL, t.terminalId())
                .header(PosSignature.HEADER_TIMESTAMP, timestamp)
                .header(PosSignature.HEADER_NONCE, nonce)
                .header(PosSignature.HEADER_SIGNATURE, signature)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private void complete(long i, Workload.Planned p, long due, long done, HttpResponse<String> response, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            answers.failed(i, p, due, done, cause instanceof HttpTimeoutException ? "timeout"
                    : cause instanceof IOException ? "io-error " + cause.getClass().getSimpleName()
                    : "client-error " + cause.getClass().getSimpleName());
            return;
        }
        int code = response.statusCode();
        JsonNode json = null;
        String status = null;
        if (code == 200 || code == 202) {
            try {
                json = Json.MAPPER.readTree(response.body());
                status = json.path("status").asText(null);
            } catch (IOException e) {
                status = "UNPARSEABLE";
            }
        }
        answers.answered(i, p, due, done, code, json, status);
    }
}
