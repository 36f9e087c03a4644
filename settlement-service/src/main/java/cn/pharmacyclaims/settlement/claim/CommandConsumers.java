package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.platform.kafka.BatchLoop;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts {@code pc.settlement.consumer-concurrency} {@link BatchLoop}s on
 * {@code claims.settlement-requests} (group settlement-service), each on a Vert.x context of its
 * own, handing every poll to {@link SettlementCommandConsumer#onBatch}; stops them at shutdown
 * after their batch in progress. Readiness is DOWN while a loop is stopped or retrying a failed batch.
 */
@ApplicationScoped
@Readiness
public class CommandConsumers implements HealthCheck {
    static final String GROUP = "settlement-service";

    private final SettlementCommandConsumer consumer;
    private final Vertx vertx;
    private final SettlementConfig config;
    private final String bootstrapServers;
    private final MeterRegistry meters;
    private final List<BatchLoop> loops = new ArrayList<>();

    public CommandConsumers(SettlementCommandConsumer consumer, Vertx vertx, SettlementConfig config,
                            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry meters) {
        this.consumer = consumer;
        this.meters = meters;
        this.vertx = vertx;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    synchronized void start(@Observes StartupEvent ev) {
        for (int i = 0; i < Math.max(1, config.consumerConcurrency()); i++) {
            // outside a Vert.x thread this makes a new context, on the next event loop in turn
            BatchLoop loop = new BatchLoop("settlement-commands-" + i, bootstrapServers, GROUP, Topics.SETTLEMENT_REQUESTS,
                    config.maxPollRecords(), vertx.getOrCreateContext(), consumer::onBatch, Map.of(), config.topUpWait(), meters);
            loops.add(loop);
            loop.start();
        }
    }

    /** Before the other shutdown observers (the reply producer, the relay): the batch in progress still needs them. */
    synchronized void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent ev) {
        loops.forEach(BatchLoop::close);
        loops.clear();
    }

    @Override
    public synchronized HealthCheckResponse call() {
        boolean up = !loops.isEmpty() && loops.stream().allMatch(BatchLoop::healthy);
        return HealthCheckResponse.named("settlement-commands").status(up).build();
    }
}
