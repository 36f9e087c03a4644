package cn.pharmacyclaims.gateway.support;

import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.common.security.SecretCipher;
import cn.pharmacyclaims.gateway.api.PosRequests.PosTerminal;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Registers terminals the way agreement-service does: a {@code TerminalChanged} on the compacted
 * {@code agreement.terminals} topic, secret encrypted with the shared key. Waits until the
 * gateway's registry holds that version, so a test never races the consumer.
 */
public final class TestTerminals implements AutoCloseable {
    /** The default of pc.terminal-secret-key, which agreement-service shares. */
    public static final String KEY = "dev-terminal-secret-key-change-me";

    private final KafkaProducer<String, String> producer;
    private final TerminalRegistry registry;
    private final SecretCipher cipher = new SecretCipher(KEY);

    public TestTerminals(String bootstrap, TerminalRegistry registry) {
        this.registry = registry;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    public PosTerminal register(String pharmacyCode) {
        PosTerminal t = new PosTerminal("T-" + UUID.randomUUID(), pharmacyCode, SecretCipher.newSecret());
        publish(t, TerminalChanged.Status.ACTIVE, 1);
        return t;
    }

    public void revoke(PosTerminal t, long version) {
        publish(t, TerminalChanged.Status.REVOKED, version);
    }

    private void publish(PosTerminal t, TerminalChanged.Status status, long version) {
        TerminalChanged event = new TerminalChanged(t.terminalId(), t.pharmacyCode(), status,
                status == TerminalChanged.Status.ACTIVE ? cipher.encrypt(t.secret()) : null, version, OffsetDateTime.now());
        try {
            producer.send(new ProducerRecord<>(Topics.TERMINALS, t.terminalId(), Json.write(event))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(15)).until(() ->
                registry.find(t.terminalId()).map(x -> x.version() == version).orElse(false));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
