package cn.pharmacyclaims.platform.kafka;

import cn.pharmacyclaims.testinfra.RealKafka;
import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link BatchLoop} on a real broker (its own topic per test, 12 partitions as the settlement
 * topics): what arrives while a batch is processed is taken in one batch
 * afterwards (not a queue of small polls), every record once and in partition order, offsets
 * committed only after processing, a failing batch run again with the same records.
 */
class BatchLoopTest {
    private static RealKafka kafka;
    private static Vertx vertx;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        kafka = RealKafka.start(null, 0);
        vertx = Vertx.vertx();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        vertx.close();
        kafka.close();
    }

    private static String newTopic() {
        String topic = "command-loop-" + UUID.randomUUID();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 12, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return topic;
    }

    private static void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** With a top-up poll (generous here: the broker in the test shares the machine with the build). */
    private static BatchLoop loop(String topic, String group, Function<ConsumerRecords<String, String>, Uni<Void>> process) {
        return loop(topic, group, Duration.ofMillis(200), process);
    }

    private static BatchLoop loop(String topic, String group, Duration topUpWait, Function<ConsumerRecords<String, String>, Uni<Void>> process) {
        return new BatchLoop("test-" + group, kafka.bootstrapServers(), group, topic, 500, vertx.getOrCreateContext(), process, Map.of(),
                topUpWait, new SimpleMeterRegistry());
    }

    @Test
    void whatArrivesDuringABatchIsTakenTogetherAfterIt() throws Exception {
        List<List<String>> batches = holdOneBatchWhileSixtyArrive(Duration.ZERO);
        // without a top-up: the fetch already under way when the held batch was polled (one
        // record), then the rest, which the broker may answer in two fetches: never one batch per arrival
        assertThat(batches.size() - 1).as("batches after the held one: %s", batches.stream().map(List::size).toList())
                .isLessThanOrEqualTo(3);
    }

    @Test
    void theTopUpPollTakesEverythingThatArrivedDuringABatchIntoTheNextOne() throws Exception {
        List<List<String>> batches = holdOneBatchWhileSixtyArrive(Duration.ofMillis(200));
        // the first poll after the held batch returns at once with the fetch answered during it
        // (one record); the top-up poll adds the other 59 (step 36)
        assertThat(batches.stream().map(List::size).toList()).containsExactly(1, 60);
    }

    /** The batches of a loop whose first batch is held while 60 records arrive one by one; asserts order and completeness. */
    private static List<List<String>> holdOneBatchWhileSixtyArrive(Duration topUpWait) throws Exception {
        String topic = newTopic();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        AtomicBoolean first = new AtomicBoolean(true);
        try (BatchLoop loop = loop(topic, "g-" + UUID.randomUUID(), topUpWait, records -> {
            List<String> values = new ArrayList<>();
            records.forEach(r -> values.add(r.value()));
            batches.add(values);
            if (first.getAndSet(false)) {
                firstStarted.countDown();
                // hold the first batch until the rest has arrived, off the event loop
                return Uni.createFrom().voidItem().emitOn(r -> new Thread(r).start())
                        .invoke(() -> awaitQuietly(release));
            }
            return Uni.createFrom().voidItem();
        })) {
            loop.start();
            send(topic, "p0", "first");
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
            long pollsAtHold = loop.polls();
            // 60 records in 60 produce requests spread over 0.6 s, while the first batch is held:
            // a consumer that kept polling would have taken them in many small polls
            for (int i = 0; i < 60; i++) {
                send(topic, "p" + (i % 7), "v" + i);
                Thread.sleep(10);
            }
            // not one poll while the batch was held (a channel keeps polling and queues each poll as a batch)
            assertThat(loop.polls()).isEqualTo(pollsAtHold);
            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> batches.stream().mapToInt(List::size).sum() == 61);
            assertThat(batches.get(0)).containsExactly("first");
            // each key's records in the order produced
            List<String> all = batches.stream().flatMap(List::stream).toList();
            for (int k = 0; k < 7; k++) {
                final int key = k;
                List<Integer> order = all.stream().filter(v -> v.startsWith("v")).map(v -> Integer.parseInt(v.substring(1)))
                        .filter(i -> i % 7 == key).toList();
                assertThat(order).isSorted();
            }
            assertThat(all).hasSize(61).doesNotHaveDuplicates();
            return batches;
        }
    }

    @Test
    void aFailedBatchRunsAgainAndOffsetsAreCommittedOnlyAfterProcessing() throws Exception {
        String topic = newTopic();
        String group = "g-" + UUID.randomUUID();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        BatchLoop loop = loop(topic, group, records -> {
            records.forEach(r -> seen.add(r.value()));
            for (ConsumerRecord<String, String> r : records) {
                if (r.value().equals("poison-once") && failOnce.getAndSet(false)) {
                    return Uni.createFrom().failure(new IllegalStateException("database down"));
                }
            }
            return Uni.createFrom().voidItem();
        });
        try (loop) {
            loop.start();
            send(topic, "p1", "poison-once");
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().filter("poison-once"::equals).count() == 2);
            await().atMost(Duration.ofSeconds(5)).until(loop::healthy);
            send(topic, "p1", "after");
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("after"));
        }
        assertThat(loop.healthy()).isFalse();
        // a new consumer of the same group starts after what was processed: nothing comes again
        List<String> again = new CopyOnWriteArrayList<>();
        try (BatchLoop next = loop(topic, group, records -> {
            records.forEach(r -> again.add(r.value()));
            return Uni.createFrom().voidItem();
        })) {
            next.start();
            send(topic, "p1", "later");
            await().atMost(Duration.ofSeconds(30)).until(() -> again.contains("later"));
            assertThat(again).containsExactly("later");
        }
    }

    @Test
    void aProcessThatThrowsFailsItsBatchInsteadOfHangingTheLoop() {
        String topic = newTopic();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean throwOnce = new AtomicBoolean(true);
        try (BatchLoop loop = loop(topic, "g-" + UUID.randomUUID(), records -> {
            records.forEach(r -> seen.add(r.value()));
            if (throwOnce.getAndSet(false)) {
                throw new IllegalStateException("thrown, not a failed Uni");
            }
            return Uni.createFrom().voidItem();
        })) {
            loop.start();
            send(topic, "p1", "thrown-once");
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().filter("thrown-once"::equals).count() == 2);
            send(topic, "p1", "next");
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("next"));
            assertThat(loop.healthy()).isTrue();
        }
    }

    /**
     * What audit keeps in memory about its decisions (AUD-07 marks) holds only while one consumer owns
     * every partition: the loop says so when it gets them all, and takes it back as soon as a second
     * consumer of the group takes some, and says it again when that one leaves.
     */
    @Test
    void theLoopTellsWhetherItOwnsEveryPartition() {
        String topic = newTopic();
        String group = "g-" + UUID.randomUUID();
        List<Boolean> first = new CopyOnWriteArrayList<>();
        List<Boolean> second = new CopyOnWriteArrayList<>();
        try (BatchLoop a = loop(topic, group, records -> Uni.createFrom().voidItem())) {
            a.onOwnership(first::add);
            a.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !first.isEmpty() && first.get(first.size() - 1));
            try (BatchLoop b = loop(topic, group, records -> Uni.createFrom().voidItem())) {
                b.onOwnership(second::add);
                b.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> !second.isEmpty() && !first.get(first.size() - 1));
                assertThat(second.get(second.size() - 1)).as("a member owning some of the partitions").isFalse();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> first.get(first.size() - 1));
        }
        assertThat(first.get(first.size() - 1)).as("told at close").isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
