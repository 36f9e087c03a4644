package cn.pharmacyclaims.platform.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
    // Where a record waits before its batch starts (docs/performance.md, session 16).
    private final Timer recordAge;
    private final Timer handoff;
    private final Counter topUps;
    private final int maxPollRecords;
    private final Duration topUpWait;
    /** Partitions revoked during the current poll (the loop's thread only). */
    private final Set<TopicPartition> revoked = new HashSet<>();
    /** Told whether this consumer owns every partition of the topic, at every change of its assignment. */
    private volatile Consumer<Boolean> ownership = owns -> { };

    /**
     * @param context        where {@code process} runs (one per loop keeps a loop on one event loop)
     * @param process        the whole poll; the loop polls again when its Uni completes
     * @param consumerConfig more consumer settings (fetch sizes and waits), applied last
     * @param topUpWait      the longest wait of a second poll when the first returned only records
     *                       sent before it began ({@link #topUp}); zero for none
     * @param meters         where the loop's timers go, tagged with the topic
     */
    public BatchLoop(String name, String bootstrapServers, String groupId, String topic, int maxPollRecords, Context context,
                     Function<ConsumerRecords<String, String>, Uni<Void>> process, Map<String, Object> consumerConfig,
                     Duration topUpWait, MeterRegistry meters) {
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
        this.maxPollRecords = maxPollRecords;
        this.topUpWait = topUpWait;
        this.topUps = Counter.builder("pc.kafka.loop.top-ups").tag("topic", topic)
                .description("polls topped up with a second short poll (the first returned a fetch answered during the batch before)")
                .register(meters);
        this.recordAge = Timer.builder("pc.kafka.loop.record-age").tag("topic", topic)
                .description("from a record's timestamp (its producer's send) to the poll that returned it: the broker hop and the wait for a fetch")
                .register(meters);
        this.handoff = Timer.builder("pc.kafka.loop.handoff").tag("topic", topic)
                .description("from a poll's return to the start of its batch on the loop's Vert.x context: the wait for the event loop")
                .register(meters);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Before {@link #start()}: {@code listener} is told, on the loop's thread and inside a poll (so
     * never while a batch is processed), whether this consumer now owns every partition of the
     * topic: false as soon as a rebalance revokes any, true when an assignment completes the set.
     * State kept in memory about what only the topic's records change (audit's AUD-07 marks) is
     * trustworthy only while that holds.
     */
    public void onOwnership(Consumer<Boolean> listener) {
        this.ownership = listener;
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
                    // called inside poll(): every record polled before has been processed, except
                    // during a top-up, which leaves out the revoked partitions' records
                    revoked.addAll(partitions);
                    ownership.accept(false);
                    commitQuietly();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.infof("%s: assigned %s", name, partitions);
                    ownership.accept(ownsEveryPartition());
                }
            });
            while (running) {
                ConsumerRecords<String, String> records;
                try {
                    long pollStartMs = System.currentTimeMillis();
                    revoked.clear();
                    records = consumer.poll(Duration.ofMillis(500));
                    polls.incrementAndGet();
                    if (!topUpWait.isZero() && records.count() > 0 && records.count() < maxPollRecords
                            && newestTimestamp(records) < pollStartMs) {
                        records = topUp(records);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warnf("%s: poll failed, retrying: %s", name, e.toString());
                    Thread.sleep(RETRY_PAUSE.toMillis());
                    continue;
                }
                if (!records.isEmpty()) {
                    long polledMs = System.currentTimeMillis();
                    for (ConsumerRecord<String, String> r : records) {
                        recordAge.record(Math.max(0, polledMs - r.timestamp()), TimeUnit.MILLISECONDS);
                    }
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
            ownership.accept(false);
            commitQuietly();
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debugf("%s: close failed: %s", name, e.toString());
            }
        }
    }

    /** The newest record's timestamp (its producer's send). */
    private static long newestTimestamp(ConsumerRecords<String, String> records) {
        long newest = Long.MIN_VALUE;
        for (ConsumerRecord<String, String> r : records) {
            newest = Math.max(newest, r.timestamp());
        }
        return newest;
    }

    /**
     * A poll whose records were all sent before it began returned the answer to the fetch the
     * consumer sent when the previous poll returned, which the broker gave as soon as the first
     * record arrived during the previous batch: one or two records. Everything else that arrived
     * during that batch is in the answer to the fetch this poll just sent, and would wait for a
     * whole batch more. One more short poll takes it into this batch (docs/performance.md, step
     * 36); at most it waits {@code topUpWait} for nothing (producers' clocks ahead of this one's
     * only make it skip the top-up, behind only make it ask when a fetch was not stale).
     * Records of a partition revoked during that poll are left out: their new owner reads them
     * from the committed offset.
     */
    private ConsumerRecords<String, String> topUp(ConsumerRecords<String, String> first) {
        ConsumerRecords<String, String> more = consumer.poll(topUpWait);
        polls.incrementAndGet();
        topUps.increment();
        if (more.isEmpty() && revoked.isEmpty()) {
            return first;
        }
        Map<TopicPartition, List<ConsumerRecord<String, String>>> merged = new LinkedHashMap<>();
        Map<TopicPartition, Long> dropped = new HashMap<>();
        for (ConsumerRecords<String, String> part : List.of(first, more)) {
            for (TopicPartition tp : part.partitions()) {
                List<ConsumerRecord<String, String>> rs = part.records(tp);
                if (revoked.contains(tp)) {
                    dropped.merge(tp, rs.get(0).offset(), Math::min);
                } else {
                    merged.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(rs);
                }
            }
        }
        // a revoked partition given back at once (an eager rebalance) must not skip what was left out
        Set<TopicPartition> owned = consumer.assignment();
        dropped.forEach((tp, offset) -> {
            if (owned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
        return new ConsumerRecords<>(merged, Map.of());
    }

    /** Runs the batch until it succeeds (the same records again after a failure), then notes its offsets. */
    private void processUntilDone(ConsumerRecords<String, String> records) throws InterruptedException {
        while (true) {
            try {
                CompletableFuture<Void> done = new CompletableFuture<>();
                long handedNanos = System.nanoTime();
                // deferred: a process that throws instead of returning a failed Uni fails the batch, never hangs the loop
                context.runOnContext(v -> Uni.createFrom().deferred(() -> {
                            handoff.record(System.nanoTime() - handedNanos, TimeUnit.NANOSECONDS);
                            return process.apply(records);
                        })
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

    private boolean ownsEveryPartition() {
        try {
            int partitions = consumer.partitionsFor(topic).size();
            return partitions > 0 && consumer.assignment().stream().filter(tp -> tp.topic().equals(topic)).count() == partitions;
        } catch (RuntimeException e) {
            LOG.warnf("%s: cannot tell whether every partition is owned (%s); assuming not", name, e.toString());
            return false;
        }
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
