package cn.pharmacyclaims.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import cn.pharmacyclaims.common.json.Json;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Reads the real topics the way an outside consumer (an auditor, finance) would. */
final class TopicProbe {
    private final String bootstrap;

    TopicProbe(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Total records ever written to a topic (sum of end offsets). */
    long endOffsetSum(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> q = parts.stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(q).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        }
    }

    /** The first record (from the beginning) whose JSON value matches, or fails after the timeout. */
    JsonNode await(String topic, Predicate<JsonNode> match, Duration timeout) throws Exception {
        List<JsonNode> all = collect(topic, match, 1, timeout);
        if (all.isEmpty()) {
            throw new AssertionError("no matching record on " + topic + " within " + timeout);
        }
        return all.get(0);
    }

    /** Every matching record seen until {@code enough} are found or the time is up. */
    List<JsonNode> collect(String topic, Predicate<JsonNode> match, int enough, Duration timeout) throws Exception {
        try (var c = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            List<JsonNode> found = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && found.size() < enough) {
                for (var r : c.poll(Duration.ofMillis(300))) {
                    JsonNode n = Json.MAPPER.readTree(r.value());
                    if (match.test(n)) {
                        found.add(n);
                    }
                }
            }
            return found;
        }
    }
}
