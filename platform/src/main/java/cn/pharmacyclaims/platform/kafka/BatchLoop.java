package cn.pharmacyclaims.platform.kafka;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One consumer of a topic in a consumer group, on a thread of its own: poll, process the whole
 * poll on this loop's Vert.x context and wait for it, poll again. Settlement reads its commands
 * this way, audit its decisions.
 *
 * <p>Why not a SmallRye channel: its consumer keeps polling while a batch is processed and hands
 * each poll on as a batch of its own, so under load a batch in progress is followed by small
 * polls queued behind it, each paying a whole transaction. Here nothing is polled while a batch
 * is processed, so the next poll takes everything that arrived meanwhile (up to
 * {@code max.poll.records}): the batch grows with the load, not the number of transactions
 * (docs/performance.md, step 20).
 *
 * <p>Offsets: a batch's offsets are committed only after it was processed; asynchronously at
 * most once a second, synchronously when partitions are revoked and at close. A crash
 * redelivers at most the last second's records, so the processing must be idempotent (settlement
 * answers a known msgId from its stored result, CLM-01; audit keeps a processed-message log). If
 * processing a batch fails (an outage lasting beyond the retries inside it), nothing of it is
 * committed and the same records run again after a pause, until they succeed; {@link #healthy()}
 * is false meanwhile. Should the pause outlast {@code max.poll.interval.ms}, the group hands the
 * partitions to another consumer and this one rejoins at its next poll.
 */
public final class BatchLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchLoop.class);
    private static final long COMMIT_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String name;
    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final Function<ConsumerRecords<String, String>, Uni<Void>> process;
    private final Context context;
    private final Thread thread;
    /** Next offset per partition of what has been processed and not yet committed. */
    private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
    private long lastCommit = System.nanoTime();
    private final AtomicLong polls = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean failing;

    /**
     * @param context        where {@code process} runs (one per loop keeps a loop on one event loop)
     * @param process        the whole poll; the loop polls again when its Uni completes
     * @param consumerConfig more consumer settings (fetch sizes and waits), applied last
     */
    public BatchLoop(String name, String bootstrapServers, String groupId, String topic, int maxPollRecords, Context context,
                     Function<ConsumerRecords<String, String>, Uni<Void>> process, Map<String, Object> consumerConfig) {
        this.name = name;
        this.topic = topic;
        this.context = context;
        this.process = process;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // never skip a record
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.putAll(consumerConfig);
        this.consumer = new KafkaConsumer<>(props);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Polls made so far (a poll is never made while a batch is processed). */
    public long polls() {
        return polls.get();
    }

    /** Running and not stuck on a failing batch. */
    public boolean healthy() {
        return running && thread.isAlive() && !failing;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // called inside poll(), so every polled record has been processed by now
                    commitQuietly();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.infof("%s: assigned %s", name, partitions);
                }
            });
            while (running) {
                ConsumerRecords<String, String> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                    polls.incrementAndGet();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warnf("%s: poll failed, retrying: %s", name, e.toString());
                    Thread.sleep(RETRY_PAUSE.toMillis());
                    continue;
                }
                if (!records.isEmpty()) {
                    processUntilDone(records);
                }
                if (!processed.isEmpty() && System.nanoTime() - lastCommit >= COMMIT_INTERVAL_NANOS) {
                    commitAsync();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: stopped", name);
        } finally {
            running = false;
            commitQuietly();
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debugf("%s: close failed: %s", name, e.toString());
            }
        }
    }

    /** Runs the batch until it succeeds (the same records again after a failure), then notes its offsets. */
    private void processUntilDone(ConsumerRecords<String, String> records) throws InterruptedException {
        while (true) {
            try {
                CompletableFuture<Void> done = new CompletableFuture<>();
                // deferred: a process that throws instead of returning a failed Uni fails the batch, never hangs the loop
                context.runOnContext(v -> Uni.createFrom().deferred(() -> process.apply(records))
                        .subscribe().with(done::complete, done::completeExceptionally));
                done.get();
                failing = false;
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<String, String>> rs = records.records(tp);
                    processed.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
                }
                return;
            } catch (ExecutionException e) {
                failing = true;
                LOG.errorf(e.getCause(), "%s: a batch of %d records failed; it runs again in %s", name, records.count(), RETRY_PAUSE);
                if (!running) {
                    throw new WakeupException();
                }
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        }
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(processed);
        processed.clear();
        lastCommit = System.nanoTime();
        consumer.commitAsync(offsets, (o, e) -> {
            if (e != null) {
                // a later commit covers these partitions; at worst they are redelivered
                LOG.warnf("%s: offset commit failed: %s", name, e.toString());
            }
        });
    }

    /** Commits what was processed, now; a failure only means those records come again. */
    private void commitQuietly() {
        if (processed.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(processed));
        } catch (RuntimeException e) {
            LOG.warnf("%s: offset commit failed (the last records will be redelivered): %s",
                    name, e.toString());
        }
        processed.clear();
        lastCommit = System.nanoTime();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
