package cn.pharmacyclaims.agreement;

import cn.pharmacyclaims.testinfra.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/** Reads a topic from the start with a plain consumer of its own group, keeping the records of one key. */
public final class TopicProbe implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final String key;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public TopicProbe(String topic, String key) {
        this.key = key;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.GROUP_ID_CONFIG, "agreement-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Waits until {@code n} records of the key have arrived; answers all of them, oldest first. */
    public List<ConsumerRecord<String, String>> awaitCount(int n) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return seen.size() >= n;
        });
        return List.copyOf(seen);
    }

    /** Waits until a record of the key matches. */
    public ConsumerRecord<String, String> awaitMatching(Predicate<ConsumerRecord<String, String>> p) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return seen.stream().anyMatch(p);
        });
        return seen.stream().filter(p).findFirst().orElseThrow();
    }

    /**
     * Every record of the key on the topic up to its current end, read from the start by a consumer
     * of its own group (what any new subscriber would read).
     */
    public static List<ConsumerRecord<String, String>> all(String topic, String key) {
        return TopicReader.readAll(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), topic).stream()
                .filter(r -> key.equals(r.key())).toList();
    }

    private void poll() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            if (key.equals(r.key())) {
                seen.add(r);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
