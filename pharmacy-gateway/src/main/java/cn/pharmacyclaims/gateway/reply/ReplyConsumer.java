package cn.pharmacyclaims.gateway.reply;

import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.config.InstanceId;
import cn.pharmacyclaims.gateway.kafka.PollLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads every reply on {@code gateway.replies} (a consumer group of this instance's own, from the
 * latest offsets: a reply older than this instance cannot be for it) and completes the waiting
 * call whose commandId this instance holds. The record key is the commandId, so a reply nobody
 * here waits for (with N instances, most of them) is skipped without being decoded or parsed;
 * only a reply for a waiting call is read, once, and only if it names this instance as replyTo.
 */
@Singleton
public class ReplyConsumer {
    private static final Logger LOG = Logger.getLogger(ReplyConsumer.class);
    private static final Pattern JSON_SAFE = Pattern.compile("[A-Za-z0-9._:-]+");

    private final PendingReplies pending;
    private final InstanceId instanceId;
    private final String bootstrapServers;
    private final GatewayConfig.Replies settings;
    /** This instance's id as it appears in a reply's JSON, or null when it would need escaping. */
    private final byte[] instanceBytes;
    private final Counter late;
    private volatile PollLoop<byte[]> loop;

    public ReplyConsumer(PendingReplies pending, InstanceId instanceId, MeterRegistry meters, GatewayConfig config,
                         @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.pending = pending;
        this.instanceId = instanceId;
        this.bootstrapServers = bootstrapServers;
        this.settings = config.replies();
        // a UUID never needs JSON escaping; an id that would is not looked for in skipped records
        this.instanceBytes = JSON_SAFE.matcher(instanceId.value()).matches()
                ? ("\"" + instanceId.value() + "\"").getBytes(StandardCharsets.UTF_8) : null;
        this.late = Counter.builder("pc.gateway.late-replies")
                .description("replies for this instance that came after the wait budget (the POS got 202)").register(meters);
    }

    void start(@Observes StartupEvent ev) {
        loop = new PollLoop<>("gateway-replies", bootstrapServers, instanceId.uniqueGroup("replies"),
                Topics.GATEWAY_REPLIES, PollLoop.Start.LATEST, ByteArrayDeserializer.class,
                Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, settings.fetchMinBytes(),
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) settings.fetchMaxWait().toMillis()),
                this::onRecord);
        loop.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        PollLoop<byte[]> l = loop;
        if (l != null) {
            l.close();
        }
    }

    void onRecord(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (value == null) {
            return;
        }
        if (record.key() != null && !pending.waitsFor(record.key())) {
            // another instance's reply, or one of ours whose POS already got 202: not parsed
            if (instanceBytes != null && contains(value, instanceBytes)) {
                late.increment();
            }
            return;
        }
        // a call here waits for this key (or the record has no key: read it to know)
        ReplyEnvelope reply = ReplyEnvelope.parse(value);
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
        PollLoop<byte[]> l = loop;
        return l != null && l.assigned();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
