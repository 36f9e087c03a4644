package cn.pharmacyclaims.settlement.support;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementDecision;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * The tests' side of Kafka, with plain clients: a producer for commands and agreement events, and a
 * background reader of every partition of the topics the service writes (from the beginning, no
 * consumer group), so assertions can wait for what the service published.
 */
public final class TestKafka implements AutoCloseable {
    private static TestKafka instance;

    public static final List<String> READ = List.of(Topics.GATEWAY_REPLIES, Topics.SETTLEMENT_DECISIONS, Topics.SETTLEMENT_REQUESTS_DLQ);

    private final String bootstrap;
    private final KafkaProducer<String, String> producer;
    private final Map<String, List<ConsumerRecord<String, String>>> received = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    /** One per broker, shared by the test classes of the JVM. */
    public static synchronized TestKafka get() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        if (instance == null || !instance.bootstrap.equals(bootstrap)) {
            if (instance != null) {
                instance.close();
            }
            instance = new TestKafka(bootstrap);
        }
        return instance;
    }

    private TestKafka(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
        READ.forEach(t -> received.put(t, new CopyOnWriteArrayList<>()));
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        READ.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(() -> {
            try (consumer) {
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> received.get(r.topic()).add(r));
                }
            }
        }, "test-kafka-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends all records without waiting for each one (they are in flight together), then waits for every ack. */
    public void sendAll(List<ProducerRecord<String, String>> records) {
        List<Future<?>> acks = new ArrayList<>();
        records.forEach(r -> acks.add(producer.send(r)));
        producer.flush();
        for (Future<?> f : acks) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public void send(SettlementCommand command) {
        send(Topics.SETTLEMENT_REQUESTS, command.kafkaKey(), Json.write(command));
    }

    public List<ConsumerRecord<String, String>> records(String topic) {
        return received.get(topic);
    }

    public List<SettlementReply> replies(String commandId) {
        return records(Topics.GATEWAY_REPLIES).stream().filter(r -> commandId.equals(r.key()))
                .map(r -> Json.read(r.value(), SettlementReply.class)).toList();
    }

    /** Waits for the reply to one command. */
    public SettlementReply awaitReply(String commandId) {
        return awaitReplies(commandId, 1).get(0);
    }

    public List<SettlementReply> awaitReplies(String commandId, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> replies(commandId).size() >= count);
        return replies(commandId);
    }

    public List<SettlementDecision> decisions(Predicate<SettlementDecision> filter) {
        return records(Topics.SETTLEMENT_DECISIONS).stream().map(r -> Json.read(r.value(), SettlementDecision.class))
                .filter(filter).toList();
    }

    public List<SettlementDecision> decisionsOf(String setlId) {
        return decisions(d -> setlId.equals(d.setlId()));
    }

    /** Waits until the settlement's decision of this type is published (through the outbox). */
    public SettlementDecision awaitDecision(String setlId, cn.pharmacyclaims.common.events.DecisionEventType type) {
        await().atMost(Duration.ofSeconds(30)).until(() -> decisionsOf(setlId).stream().anyMatch(d -> d.eventType() == type));
        return decisionsOf(setlId).stream().filter(d -> d.eventType() == type).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
