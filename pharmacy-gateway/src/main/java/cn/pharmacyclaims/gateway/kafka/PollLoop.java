package cn.pharmacyclaims.gateway.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One Kafka consumer on a thread of its own, reading one topic with a consumer group that belongs
 * to this instance alone (every gateway instance must see every record of the terminal registry
 * and of the replies). A plain client rather than a SmallRye channel because readiness depends on
 * what only the client knows: that partitions are assigned, that a {@code latest} position is
 * pinned (so no reply produced after readiness can be skipped), and that a compacted topic has
 * been read up to the end offsets seen at assignment. Keys are strings; values are whatever the
 * given deserializer makes of them (raw bytes where most records are skipped unread).
 */
public final class PollLoop<V> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PollLoop.class);

    public enum Start { EARLIEST, LATEST }

    private final String name;
    private final String topic;
    private final KafkaConsumer<String, V> consumer;
    private final Consumer<ConsumerRecord<String, V>> handler;
    private final Map<TopicPartition, Long> endAtAssignment = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile boolean caughtUp;

    /** String values, the consumer's default fetch settings. */
    public static PollLoop<String> ofStrings(String name, String bootstrapServers, String groupId, String topic, Start start,
                                             Consumer<ConsumerRecord<String, String>> handler) {
        return new PollLoop<>(name, bootstrapServers, groupId, topic, start, StringDeserializer.class, Map.of(), handler);
    }

    /**
     * @param valueDeserializer how values are read
     * @param settings more consumer settings (fetch sizes and waits), applied last
     */
    public PollLoop(String name, String bootstrapServers, String groupId, String topic, Start start,
                    Class<? extends Deserializer<V>> valueDeserializer, Map<String, Object> settings,
                    Consumer<ConsumerRecord<String, V>> handler) {
        this.name = name;
        this.topic = topic;
        this.handler = handler;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start == Start.EARLIEST ? "earliest" : "latest");
        // the group is this instance's alone and lives as long as the instance: nothing to commit
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer.getName());
        props.putAll(settings);
        this.consumer = new KafkaConsumer<>(props);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Partitions are assigned and their start positions resolved. */
    public boolean assigned() {
        return assigned;
    }

    /** Every assigned partition has been read up to the end offset it had when it was assigned. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (partitions.isEmpty()) {
                        return;
                    }
                    endAtAssignment.putAll(consumer.endOffsets(partitions));
                    // position() resolves the reset policy now: with "latest" the position is
                    // pinned here, before readiness says UP, not lazily at some later fetch
                    partitions.forEach(consumer::position);
                    assigned = true;
                    updateCaughtUp();
                    LOG.infof("%s: assigned %s", name, partitions);
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(endAtAssignment::remove);
                    assigned = !consumer.assignment().isEmpty() && !partitions.containsAll(consumer.assignment());
                }
            });
            while (running) {
                try {
                    ConsumerRecords<String, V> records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, V> r : records) {
                        try {
                            handler.accept(r);
                        } catch (RuntimeException e) {
                            LOG.warnf("%s: skipped record %s-%d@%d: %s", name, r.topic(), r.partition(), r.offset(), e.toString());
                        }
                    }
                    if (!caughtUp) {
                        updateCaughtUp();
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warnf("%s: poll failed, retrying: %s", name, e.toString());
                    sleepQuietly();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debugf("%s: close failed: %s", name, e.toString());
            }
        }
    }

    private void updateCaughtUp() {
        if (!assigned || endAtAssignment.isEmpty()) {
            return;
        }
        Set<TopicPartition> mine = consumer.assignment();
        for (TopicPartition tp : mine) {
            Long end = endAtAssignment.get(tp);
            if (end != null && consumer.position(tp) < end) {
                return;
            }
        }
        if (!caughtUp) {
            LOG.infof("%s: caught up with %s", name, topic);
        }
        caughtUp = true;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
    }
}
