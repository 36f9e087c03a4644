package cn.pharmacyclaims.gateway.reply;

import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.gateway.config.InstanceId;
import cn.pharmacyclaims.gateway.kafka.PollLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.regex.Pattern;

/**
 * Reads every reply on {@code gateway.replies} (a consumer group of this instance's own, from the
 * latest offsets: a reply older than this instance cannot be for it) and completes the waiting
 * call whose commandId this instance holds. Replies addressed to other instances are ignored.
 */
@Singleton
public class ReplyConsumer {
    private static final Logger LOG = Logger.getLogger(ReplyConsumer.class);
    private static final Pattern JSON_SAFE = Pattern.compile("[A-Za-z0-9._:-]+");

    private final PendingReplies pending;
    private final InstanceId instanceId;
    private final String bootstrapServers;
    private final boolean prefilter;
    private final Counter late;
    private volatile PollLoop loop;

    public ReplyConsumer(PendingReplies pending, InstanceId instanceId, MeterRegistry meters,
                         @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.pending = pending;
        this.instanceId = instanceId;
        this.bootstrapServers = bootstrapServers;
        // every instance sees every reply: skip parsing those that cannot name this instance
        // (safe only when the id needs no JSON escaping, which a UUID never does)
        this.prefilter = JSON_SAFE.matcher(instanceId.value()).matches();
        this.late = Counter.builder("pc.gateway.late-replies")
                .description("replies for this instance that came after the wait budget (the POS got 202)").register(meters);
    }

    void start(@Observes StartupEvent ev) {
        loop = new PollLoop("gateway-replies", bootstrapServers, instanceId.uniqueGroup("replies"),
                Topics.GATEWAY_REPLIES, PollLoop.Start.LATEST, this::onRecord);
        loop.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        PollLoop l = loop;
        if (l != null) {
            l.close();
        }
    }

    void onRecord(ConsumerRecord<String, String> record) {
        String value = record.value();
        if (value == null || (prefilter && !value.contains(instanceId.value()))) {
            return;
        }
        SettlementReply reply = Json.read(value, SettlementReply.class);
        if (!instanceId.value().equals(reply.replyTo()) || reply.commandId() == null) {
            return;
        }
        if (!pending.complete(reply)) {
            late.increment();
            LOG.debugf("reply %s arrived after the wait budget", reply.commandId());
        }
    }

    /** Readiness: partitions assigned and positions pinned, so no reply to a later command is missed. */
    public boolean assigned() {
        PollLoop l = loop;
        return l != null && l.assigned();
    }
}
