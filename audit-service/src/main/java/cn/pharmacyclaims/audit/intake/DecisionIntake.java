package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.rules.AuditConfig;
import cn.pharmacyclaims.audit.rules.TerminalTrails;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.platform.kafka.BatchLoop;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code claims.settlement-decisions} (group audit-service, from the earliest offset, so
 * the first decision is never lost) with one {@link BatchLoop}: a poll of at most
 * {@code pc.audit.intake.max-batch} records is handed to {@link DecisionConsumer} as one batch,
 * and the next poll waits until its transaction has committed, so it takes everything that arrived
 * meanwhile. Offsets are committed after that transaction (at most once a second, see BatchLoop). A batch that keeps failing (database
 * down beyond the retries) runs again, nothing skipped, and readiness is DOWN meanwhile.
 */
@ApplicationScoped
@Readiness
public class DecisionIntake implements HealthCheck {
    static final String GROUP = "audit-service";

    private final DecisionConsumer consumer;
    private final TerminalTrails trails;
    private final Vertx vertx;
    private final AuditConfig config;
    private final String bootstrapServers;
    private final MeterRegistry meters;
    private BatchLoop loop;

    public DecisionIntake(DecisionConsumer consumer, TerminalTrails trails, Vertx vertx, AuditConfig config,
                          @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry meters) {
        this.consumer = consumer;
        this.trails = trails;
        this.meters = meters;
        this.vertx = vertx;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    synchronized void start(@Observes StartupEvent ev) {
        AuditConfig.Intake intake = config.intake();
        loop = new BatchLoop("audit-decisions", bootstrapServers, GROUP, Topics.SETTLEMENT_DECISIONS, intake.maxBatch(),
                vertx.getOrCreateContext(), records -> {
                    List<String> payloads = new ArrayList<>(records.count());
                    for (ConsumerRecord<String, String> r : records) { // partition by partition, each in offset order
                        payloads.add(r.value());
                    }
                    return consumer.consume(payloads);
                },
                Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, intake.fetchMinBytes(),
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, intake.fetchMaxWaitMs()),
                // no top-up poll: decisions come a relay pass at a time, each pass one produce, so a
                // second poll would mostly wait for nothing (docs/performance.md, step 36)
                Duration.ZERO, meters);
        // AUD-07 marks are kept in memory only while this instance alone writes the rule windows
        loop.onOwnership(trails::owning);
        loop.start();
    }

    /** Before the other shutdown observers (the outbox relay): the batch in progress still needs them. */
    synchronized void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent ev) {
        if (loop != null) {
            loop.close();
        }
    }

    @Override
    public synchronized HealthCheckResponse call() {
        return HealthCheckResponse.named("audit-decisions").status(loop != null && loop.healthy()).build();
    }
}
