package cn.pharmacyclaims.gateway.metrics;

import cn.pharmacyclaims.gateway.api.PosOperation;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pc.gateway.requests{operation, outcome}}: one timer per POS call, with a percentile
 * histogram so p99 can be aggregated across instances; {@code pc.gateway.refusals{reason}}: why
 * calls were refused before reaching Kafka (a burst of bad_signature is an attack, of
 * stale_timestamp a clock problem).
 */
@Singleton
public class GatewayMetrics {
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<RefusalReason, Counter> refusals = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public Timer.Sample start() {
        return Timer.start(registry);
    }

    public void record(Timer.Sample sample, PosOperation operation, String outcome) {
        Timer timer = timers.computeIfAbsent(operation.tag() + '/' + outcome, k -> Timer.builder("pc.gateway.requests")
                .description("POS calls by operation and outcome")
                .tag("operation", operation.tag())
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry));
        sample.stop(timer);
    }

    public void refused(RefusalReason reason) {
        refusals.computeIfAbsent(reason, r -> Counter.builder("pc.gateway.refusals")
                .description("POS calls refused before reaching Kafka, by reason")
                .tag("reason", r.metricReason())
                .register(registry)).increment();
    }
}
