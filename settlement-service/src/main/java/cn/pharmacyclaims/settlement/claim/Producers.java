package cn.pharmacyclaims.settlement.claim;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;

/** Plain Kafka producers of string records, for what is sent outside the outbox (replies, dead letters). */
final class Producers {
    private Producers() {
    }

    /** {@code durable}: acks from every in-sync replica and idempotence; otherwise the leader's ack, no linger. */
    static KafkaProducer<String, String> create(String bootstrapServers, String clientId, boolean durable) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, durable ? "all" : "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, durable,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, clientId),
                new StringSerializer(), new StringSerializer());
    }

    static void close(KafkaProducer<String, String> producer) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
