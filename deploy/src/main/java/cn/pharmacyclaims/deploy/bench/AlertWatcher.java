package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An auditor's consumer of {@code audit.violation-alerts} (POS-API.md §2), as the auditors run
 * theirs: a plain KafkaConsumer with a group of its own. It matches the AUD-01 alerts of the
 * deliberate NON_MEDICAL requests by msgId ({@code settlements[].msgId}) and records the time from
 * the request's intended send time to the moment the alert is seen here.
 */
public final class AlertWatcher implements AutoCloseable {
    private final Map<String, Long> expected = new ConcurrentHashMap<>();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> alertsByRule = new ConcurrentHashMap<>();
    private final Results results;
    private final AtomicBoolean assigned = new AtomicBoolean();
    private final ConsumerLoop loop;

    public AlertWatcher(String bootstrap, Results results) {
        this.results = results;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-alert-watcher-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(Topics.VIOLATION_ALERTS));
        loop = new ConsumerLoop("bench-alert-watcher", consumer, Duration.ofMillis(100), records -> {
            if (!consumer.assignment().isEmpty()) {
                assigned.set(true);
            }
            long now = System.nanoTime();
            for (ConsumerRecord<String, String> r : records) {
                onAlert(r.value(), now);
            }
        });
    }

    /** Waits until the consumer holds its partitions, so no alert of the run can be missed. */
    public void awaitAssignment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!assigned.get() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!assigned.get()) {
            throw new IllegalStateException("the alert consumer got no partitions of " + Topics.VIOLATION_ALERTS);
        }
    }

    /** A deliberate NON_MEDICAL request of the measured window, due at {@code intendedNanos}. */
    public void expect(String msgId, long intendedNanos) {
        expected.put(msgId, intendedNanos);
    }

    void onAlert(String json, long seenNanos) {
        JsonNode alert;
        try {
            alert = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            alertsByRule.computeIfAbsent("unparseable", k -> new AtomicLong()).incrementAndGet();
            return;
        }
        alertsByRule.computeIfAbsent(alert.path("ruleId").asText("?"), k -> new AtomicLong()).incrementAndGet();
        for (JsonNode s : alert.path("settlements")) {
            String msgId = s.path("msgId").asText(null);
            if (msgId == null) {
                continue;
            }
            Long intended = expected.get(msgId);
            if (intended != null && seen.putIfAbsent(msgId, seenNanos) == null) {
                results.alertSeen(intended, seenNanos);
            }
        }
    }

    /** Waits until every expected alert is seen or the timeout passes; answers how many are missing. */
    public long awaitAll(Duration timeout, java.util.function.Predicate<String> counts) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (missing(counts) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return missing(counts);
    }

    public long expectedCount() {
        return expected.size();
    }

    public long seenCount() {
        return seen.size();
    }

    public long missing() {
        return missing(k -> true);
    }

    /** Expected alerts not seen, among the requests {@code counts} selects (those that reached Kafka). */
    public long missing(java.util.function.Predicate<String> counts) {
        return expected.keySet().stream().filter(counts).filter(k -> !seen.containsKey(k)).count();
    }

    public Map<String, Long> alertsByRule() {
        Map<String, Long> m = new java.util.TreeMap<>();
        alertsByRule.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Override
    public void close() {
        loop.close();
    }
}
