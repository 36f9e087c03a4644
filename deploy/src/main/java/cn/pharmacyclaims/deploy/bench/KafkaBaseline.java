package cn.pharmacyclaims.deploy.bench;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The raw broker's limits on this machine, measured against the same broker process the system
 * uses, on a throw-away topic: one-at-a-time produce→consume round trips (acks=all, as the gateway
 * produces) and a burst of records produced as fast as the client batches them, consumed to the end.
 */
public final class KafkaBaseline {
    private KafkaBaseline() {
    }

    public record Result(String topic, int recordBytes, LatencySummary roundTrip, long burstRecords, double burstSeconds,
                         double burstPerSecond) {
    }

    public static Result run(String bootstrap, Duration roundTripFor, int burstRecords, int recordBytes) throws Exception {
        String topic = "bench.baseline-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = producer(bootstrap);
                 KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                TopicPartition tp = new TopicPartition(topic, 0);
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp);
                String payload = "x".repeat(recordBytes);

                // warm the connections and metadata, then measure one record at a time
                roundTrips(producer, consumer, topic, payload, Duration.ofSeconds(1), LatencySummary.newHistogram());
                Histogram rtt = LatencySummary.newHistogram();
                roundTrips(producer, consumer, topic, payload, roundTripFor, rtt);

                long start = System.nanoTime();
                for (int i = 0; i < burstRecords; i++) {
                    producer.send(new ProducerRecord<>(topic, Integer.toString(i), payload));
                }
                producer.flush();
                long consumed = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (consumed < burstRecords && System.nanoTime() < deadline) {
                    consumed += consumer.poll(Duration.ofMillis(200)).count();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(topic, recordBytes, LatencySummary.of(rtt), consumed, round(seconds),
                        round(consumed / seconds));
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void roundTrips(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer,
                                   String topic, String payload, Duration duration, Histogram h) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        long seq = 0;
        while (System.nanoTime() < end) {
            String key = Long.toString(seq++);
            long t0 = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, key, payload));
            boolean seen = false;
            while (!seen) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        seen = true;
                    }
                }
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(10)) {
                    throw new IllegalStateException("baseline record " + key + " not consumed within 10 s");
                }
            }
            LatencySummary.record(h, System.nanoTime() - t0);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
