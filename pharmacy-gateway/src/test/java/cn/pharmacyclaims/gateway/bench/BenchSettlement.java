package cn.pharmacyclaims.gateway.bench;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
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

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Answers every command on {@code claims.settlement-requests} at once with a realistic SETTLED
 * result, and optionally also produces {@code foreign} replies addressed to other gateway
 * instances per command (what one instance sees when N instances share the replies topic).
 * Its threads are named {@code bench-*} so the harness can leave them out of the gateway's CPU.
 */
final class BenchSettlement implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final int foreign;
    private final Thread thread;
    private volatile boolean running = true;

    BenchSettlement(String bootstrap, int foreign) {
        this.foreign = foreign;
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.CLIENT_ID_CONFIG, "bench-settlement"),
                new StringDeserializer(), new StringDeserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.CLIENT_ID_CONFIG, "bench-settlement"), new StringSerializer(), new StringSerializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.SETTLEMENT_REQUESTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::run, "bench-settlement");
        thread.setDaemon(true);
        thread.start();
    }

    static SettlementResult settled(String msgId) {
        BigDecimal zero = new BigDecimal("0.00");
        List<SettlementResult.LineResult> lines = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            lines.add(new SettlementResult.LineResult(i, new BigDecimal("24.68"), zero, zero, zero, new BigDecimal("24.68"),
                    new BigDecimal("17.28"), SettlementResult.Benefit.POOLING, new BigDecimal("7.40"), zero));
        }
        return new SettlementResult("S-" + msgId, msgId, SettlementStatus.SETTLED,
                new SettlementResult.Totals(new BigDecimal("74.04"), zero, zero, zero, new BigDecimal("51.84"),
                        new BigDecimal("22.20"), zero),
                lines, new BigDecimal("975.32"), List.of(), OffsetDateTime.now());
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    SettlementCommand c = Json.read(r.value(), SettlementCommand.class);
                    String msgId = c.settlement() != null ? c.settlement().msgId() : "m";
                    SettlementResult result = settled(msgId);
                    for (int i = 0; i < foreign; i++) {
                        String id = UUID.randomUUID().toString();
                        producer.send(new ProducerRecord<>(Topics.GATEWAY_REPLIES, id, Json.write(new SettlementReply(id,
                                UUID.randomUUID().toString(), SettlementReply.Outcome.RESULT, result, null))));
                    }
                    producer.send(new ProducerRecord<>(Topics.GATEWAY_REPLIES, c.commandId(), Json.write(new SettlementReply(
                            c.commandId(), c.replyTo(), SettlementReply.Outcome.RESULT, result, null))));
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
