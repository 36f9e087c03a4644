package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a request's time goes ({@code ./bench.sh --path}): a plain consumer of the command,
 * reply, decision and alert topics reads each record's CreateTime (the producer's clock, on this
 * machine the same clock as the load generator's) and puts it beside the request's intended send
 * time and the moment its answer arrived. The differences split the POS round trip into the
 * gateway's part before Kafka, the command's trip through the broker and settlement-service, and
 * the reply's trip back through the broker and the gateway; and the alert path of the deliberate
 * NON_MEDICAL requests (their AUD-01 alerts) into the outbox relay and the audit service (the
 * alert's delivery is the rest of the report's decision → alert latency).
 *
 * <p>Off by default: it is one more consumer of every record of the hot path, so it adds to the
 * broker's and the load generator's CPU. Record timestamps have millisecond resolution; a
 * segment shorter than that may show as 0 (never negative: clamped).
 */
public final class PathWatcher implements AutoCloseable {
    /** The segments, in the order the report lists them. */
    public static final String GATEWAY_IN = "intended send → command produced (load generator lag, HTTP, signature, nonce, validation)";
    public static final String SETTLEMENT = "command produced → reply produced (broker hop, settlement-service)";
    public static final String GATEWAY_OUT = "reply produced → answer at the POS (broker hop, gateway, HTTP)";
    public static final String RELAY = "reply produced → decision produced (outbox relay)";
    public static final String AUDIT = "decision produced → AUD-01 alert produced (broker hop, audit-service, its relay)";
    private static final List<String> SEGMENTS = List.of(GATEWAY_IN, SETTLEMENT, GATEWAY_OUT, RELAY, AUDIT);

    /** What is known of one measured request, in epoch milliseconds; 0 = not seen (yet). */
    static final class Stamps {
        volatile double intended;
        volatile double answered;
        volatile long command;
        volatile String commandId;
        volatile long decision;
        volatile long alert;
    }

    private final Map<String, Stamps> byMsgId = new ConcurrentHashMap<>();
    // by commandId: a reply may be read before its command (other topic, other fetch)
    private final Map<String, Long> replyByCommand = new ConcurrentHashMap<>();
    private final long baseNanos = System.nanoTime();
    private final long baseMillis = System.currentTimeMillis();
    private final ConsumerLoop loop;

    /** Without a broker: for tests of the bookkeeping ({@link #onRecord}). */
    PathWatcher() {
        loop = null;
    }

    public PathWatcher(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // CreateTimes do not depend on when they are read: fetch in large, late batches (a fetch per
        // record cost the load generator a tenth of a core at 100/s)
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(1 << 20));
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        // no group: every partition assigned here, from the end, before the first request is sent
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.SETTLEMENT_REQUESTS, Topics.GATEWAY_REPLIES, Topics.SETTLEMENT_DECISIONS,
                Topics.VIOLATION_ALERTS)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, not at the first poll
        loop = new ConsumerLoop("bench-path-watcher", consumer, Duration.ofMillis(1_000), records -> {
            for (ConsumerRecord<String, String> r : records) {
                onRecord(r.topic(), r.value(), r.timestamp());
            }
        });
    }

    /** A request of the measured window, due at {@code intendedNanos} (System.nanoTime). */
    public void sent(String msgId, long intendedNanos) {
        byMsgId.computeIfAbsent(msgId, k -> new Stamps()).intended = epochMillis(intendedNanos);
    }

    /** Its answer arrived at {@code doneNanos}; requests not announced by {@link #sent} are ignored. */
    public void answered(String msgId, long doneNanos) {
        Stamps s = byMsgId.get(msgId);
        if (s != null) {
            s.answered = epochMillis(doneNanos);
        }
    }

    double epochMillis(long nanos) {
        return baseMillis + (nanos - baseNanos) / 1e6;
    }

    /**
     * One record of the four topics: its CreateTime goes to the request it belongs to. The ids are
     * taken from the JSON text, not parsed (1,500 records a second at 500/s: a parse each cost the
     * load generator's machine a tenth of a core); only alerts, a few a second, are parsed.
     */
    void onRecord(String topic, String json, long createTime) {
        switch (topic) {
            case Topics.SETTLEMENT_REQUESTS -> {
                // the command's only "msgId" is its request's (settlement, cancel or reversal; never originalMsgId)
                String msgId = firstString(json, "msgId");
                Stamps s = msgId == null ? null : byMsgId.get(msgId);
                String commandId = firstString(json, "commandId");
                if (s != null && s.command == 0 && commandId != null) {
                    s.command = createTime;
                    s.commandId = commandId;
                }
            }
            case Topics.GATEWAY_REPLIES -> {
                String commandId = firstString(json, "commandId");
                if (commandId != null) {
                    replyByCommand.putIfAbsent(commandId, createTime);
                }
            }
            case Topics.SETTLEMENT_DECISIONS -> {
                String msgId = firstString(json, "msgId");
                Stamps s = msgId == null ? null : byMsgId.get(msgId);
                if (s != null && s.decision == 0) {
                    s.decision = createTime;
                }
            }
            case Topics.VIOLATION_ALERTS -> onAlert(json, createTime);
            default -> {
            }
        }
    }

    private void onAlert(String json, long createTime) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return; // not ours to judge
        }
        // AUD-01 only, one alert per deliberate NON_MEDICAL request (as AlertWatcher): a burst's or
        // a pattern's alert lists settlements of minutes before, which would time the rule, not the path
        if (!"AUD-01".equals(n.path("ruleId").asText())) {
            return;
        }
        for (JsonNode settlement : n.path("settlements")) {
            Stamps s = byMsgId.get(settlement.path("msgId").asText());
            if (s != null && s.alert == 0) {
                s.alert = createTime;
            }
        }
    }

    /** The first {@code "field":"value"} of compact JSON (as the services write it), or null. Ids have no escapes. */
    static String firstString(String json, String field) {
        String key = "\"" + field + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int to = json.indexOf('"', from);
        return to < 0 ? null : json.substring(from, to);
    }

    /**
     * The segments over every measured request that has both ends of a segment (a rejected
     * purchase has no alert unless a rule fired; a timed-out one no answer), in milliseconds.
     */
    public Map<String, LatencySummary> segments() {
        Map<String, Histogram> h = new LinkedHashMap<>();
        SEGMENTS.forEach(k -> h.put(k, LatencySummary.newHistogram()));
        for (Stamps s : byMsgId.values()) {
            Long replied = s.commandId == null ? null : replyByCommand.get(s.commandId);
            long reply = replied == null ? 0 : replied;
            add(h.get(GATEWAY_IN), s.intended, s.command);
            add(h.get(SETTLEMENT), s.command, reply);
            add(h.get(GATEWAY_OUT), reply, s.answered);
            add(h.get(RELAY), reply, s.decision);
            add(h.get(AUDIT), s.decision, s.alert);
        }
        Map<String, LatencySummary> out = new LinkedHashMap<>();
        h.forEach((k, v) -> out.put(k, LatencySummary.of(v)));
        return out;
    }

    private static void add(Histogram h, double fromMillis, double toMillis) {
        if (fromMillis > 0 && toMillis > 0) {
            LatencySummary.record(h, Math.round(Math.max(0, toMillis - fromMillis) * 1e6));
        }
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
