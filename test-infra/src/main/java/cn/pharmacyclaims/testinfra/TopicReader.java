package cn.pharmacyclaims.testinfra;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a topic as a new subscriber would: a consumer with a group of its own, from the earliest
 * offset, up to the end offsets the topic had when the consumer was assigned its partitions. Tests
 * use it to count what was published (the outbox relay deletes a row once the broker has it, so
 * the topic is the record of what was sent).
 */
public final class TopicReader {
    private TopicReader() {
    }

    /** Every record of {@code topic} up to its current end; fails if that end is not reached in 30 s. */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
        Map<String, Object> cfg = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            Map<TopicPartition, Long> end = null;
            while (System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                Set<TopicPartition> assigned = c.assignment();
                if (assigned.isEmpty()) {
                    continue;
                }
                if (end == null) {
                    end = c.endOffsets(assigned);
                }
                Map<TopicPartition, Long> e = end;
                if (assigned.stream().allMatch(tp -> c.position(tp) >= e.getOrDefault(tp, 0L))) {
                    return out;
                }
            }
        }
        throw new IllegalStateException("could not read " + topic + " to its end");
    }
}
