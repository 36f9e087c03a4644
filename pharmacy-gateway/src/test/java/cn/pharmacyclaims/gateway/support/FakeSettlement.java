package cn.pharmacyclaims.gateway.support;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Test scaffolding that stands in for settlement-service, so the gateway can be tested alone:
 * reads {@code claims.settlement-requests} and, for the commands a test told it about, answers
 * on {@code gateway.replies}. Commands nobody told it about get no answer (the 202 case).
 */
public final class FakeSettlement implements AutoCloseable {
    public record Received(String key, SettlementCommand command) {
    }

    private final String bootstrap;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Map<String, Function<SettlementCommand, SettlementReply>> answers = new ConcurrentHashMap<>();
    private final Map<String, Received> received = new ConcurrentHashMap<>();
    private final List<TopicPartition> partitions;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean decoys;

    public FakeSettlement(String bootstrap) {
        this.bootstrap = bootstrap;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        partitions = consumer.partitionsFor(Topics.SETTLEMENT_REQUESTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::run, "fake-settlement");
        thread.setDaemon(true);
        thread.start();
    }

    /** The id a test answers by: msgId for purchases, setlId for cancels, the original msgId for reversals. */
    public static String subject(SettlementCommand c) {
        return switch (c.type()) {
            case PREVIEW, SETTLE -> c.settlement().msgId();
            case CANCEL -> c.cancel().setlId();
            case REVERSE -> c.reversal().originalMsgId();
        };
    }

    public void answer(String subject, Function<SettlementCommand, SettlementReply> reply) {
        answers.put(subject, reply);
    }

    /**
     * From now on each answer is preceded by what other gateway instances' traffic looks like on
     * the shared replies topic: replies for other instances' commands, and one under this
     * command's own key that names another instance.
     */
    public void withDecoys() {
        decoys = true;
    }

    public Received received(String subject) {
        return received.get(subject);
    }

    /** Records ever produced to claims.settlement-requests (sum of end offsets). */
    public long produced() {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new StringDeserializer())) {
            return c.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    SettlementCommand c = Json.read(r.value(), SettlementCommand.class);
                    received.put(subject(c), new Received(r.key(), c));
                    Function<SettlementCommand, SettlementReply> f = answers.get(subject(c));
                    if (f != null) {
                        SettlementReply reply = f.apply(c);
                        if (decoys) {
                            for (int i = 0; i < 3; i++) {
                                String other = java.util.UUID.randomUUID().toString();
                                producer.send(new ProducerRecord<>(Topics.GATEWAY_REPLIES, other, Json.write(new SettlementReply(other,
                                        "gw-" + other, reply.outcome(), reply.result(), reply.detail()))));
                            }
                            producer.send(new ProducerRecord<>(Topics.GATEWAY_REPLIES, c.commandId(), Json.write(new SettlementReply(
                                    c.commandId(), "another-gateway-instance", reply.outcome(), null, "not for you"))));
                        }
                        producer.send(new ProducerRecord<>(Topics.GATEWAY_REPLIES, c.commandId(), Json.write(reply)));
                        producer.flush();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
