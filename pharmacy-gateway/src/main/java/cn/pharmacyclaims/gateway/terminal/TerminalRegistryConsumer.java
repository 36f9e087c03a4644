package cn.pharmacyclaims.gateway.terminal;

import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.gateway.config.InstanceId;
import cn.pharmacyclaims.gateway.kafka.PollLoop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads {@code agreement.terminals} from the beginning, with a consumer group of this instance's
 * own, into the {@link TerminalRegistry}. The gateway is not ready until it has read up to the
 * end offsets seen at start: before that, a registered terminal would be refused as unknown.
 */
@Singleton
public class TerminalRegistryConsumer {
    private static final Logger LOG = Logger.getLogger(TerminalRegistryConsumer.class);

    private final TerminalRegistry registry;
    private final InstanceId instanceId;
    private final String bootstrapServers;
    private volatile PollLoop<String> loop;

    public TerminalRegistryConsumer(TerminalRegistry registry, InstanceId instanceId, MeterRegistry meters,
                                    @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.registry = registry;
        this.instanceId = instanceId;
        this.bootstrapServers = bootstrapServers;
        Gauge.builder("pc.gateway.terminals", registry, TerminalRegistry::size)
                .description("terminals known to this gateway instance").register(meters);
    }

    void start(@Observes StartupEvent ev) {
        loop = PollLoop.ofStrings("gateway-terminals", bootstrapServers, instanceId.uniqueGroup("terminals"),
                Topics.TERMINALS, PollLoop.Start.EARLIEST, this::onRecord);
        loop.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        PollLoop<String> l = loop;
        if (l != null) {
            l.close();
        }
    }

    void onRecord(ConsumerRecord<String, String> record) {
        TerminalChanged event = record.value() == null ? null : Json.read(record.value(), TerminalChanged.class);
        if (registry.apply(record.key(), event)) {
            LOG.debugf("terminal %s: %s", record.key(), event == null ? "removed" : event.status() + " v" + event.version());
        }
    }

    /** SEC-01 readiness: the registry holds every terminal registered before this instance started. */
    public boolean caughtUp() {
        PollLoop<String> l = loop;
        return l != null && l.caughtUp();
    }
}
