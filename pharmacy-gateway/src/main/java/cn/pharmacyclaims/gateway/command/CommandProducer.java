package cn.pharmacyclaims.gateway.command;

import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.config.InstanceId;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The producer of {@code claims.settlement-requests} (acks=all, idempotent), called straight from
 * the request's event loop: no hand-over to a sending thread, no messaging layer per record.
 * That is safe because {@code send} never blocks here: {@code max.block.ms} is 0 and the topic's
 * partitions are known before the gateway is ready (and never forgotten while it runs), so a send
 * only appends to the producer's buffer; when that is impossible it fails at once (the POS gets
 * 503, nothing was produced) instead of stalling every call on that event loop.
 */
@Singleton
public class CommandProducer {
    private static final Logger LOG = Logger.getLogger(CommandProducer.class);
    private static final String TOPIC = Topics.SETTLEMENT_REQUESTS;

    private final KafkaProducer<String, byte[]> producer;
    private volatile boolean ready;
    private volatile boolean running = true;

    public CommandProducer(GatewayConfig config, InstanceId instanceId,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "pharmacy-gateway-commands-" + instanceId.value());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.commands().linger().toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        // the topic stays in the metadata however long the gateway is idle: a send never waits for it
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    void start(@Observes StartupEvent ev) {
        Thread t = new Thread(this::learnPartitions, "gateway-commands-metadata");
        t.setDaemon(true);
        t.start();
    }

    /** Asks for the topic's partitions until the producer knows them (each ask returns at once). */
    private void learnPartitions() {
        while (running && !ready) {
            try {
                producer.partitionsFor(TOPIC);
                ready = true;
                LOG.infof("%s: partitions known", TOPIC);
            } catch (RuntimeException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Readiness: a send appends to the buffer without waiting for metadata. */
    public boolean ready() {
        return ready;
    }

    /** Appends the command (UTF-8 JSON) to the producer's buffer; the callback runs on the producer's thread (or this one on failure). */
    public void send(String key, byte[] json, Callback callback) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, key, json), callback);
        } catch (RuntimeException e) {
            callback.onCompletion(null, e);
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        producer.close(Duration.ofSeconds(5));
    }
}
