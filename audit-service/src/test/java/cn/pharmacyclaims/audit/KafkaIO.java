package cn.pharmacyclaims.audit;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.testinfra.TopicReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Plain Kafka clients, as the settlement service and the auditors' consumers would use them. */
public final class KafkaIO {
    private static KafkaProducer<String, String> producer;
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private KafkaIO() {
    }

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    public static void send(String topic, String key, String value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    public static void sendJson(String topic, String key, Object value) {
        send(topic, key, Json.write(value));
    }

    /**
     * Every record of {@code audit.violation-alerts} up to the current end, read by a consumer with a
     * group of its own from the earliest offset, as an auditor's consumer would.
     */
    public static List<ConsumerRecord<String, String>> alerts() {
        return read(Topics.VIOLATION_ALERTS);
    }

    /** Every record of {@code topic} up to its current end, read with a group of its own from the earliest offset. */
    public static List<ConsumerRecord<String, String>> read(String topic) {
        return TopicReader.readAll(bootstrap(), topic);
    }

    public static JsonNode tree(String json) {
        try {
            return PLAIN.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Alerts whose parsed JSON matches. */
    public static List<ConsumerRecord<String, String>> alerts(Predicate<JsonNode> match) {
        return alerts().stream().filter(r -> match.test(tree(r.value()))).toList();
    }
}
