package cn.pharmacyclaims.deploy.bench;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A KafkaConsumer polled on a daemon thread of its own until closed: the benchmark's watchers. */
final class ConsumerLoop implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    /** Starts polling at once; {@code onPoll} gets every poll's records (possibly none) on that thread. */
    ConsumerLoop(String name, KafkaConsumer<String, String> consumer, Duration pollTimeout,
                 Consumer<ConsumerRecords<String, String>> onPoll) {
        this.consumer = consumer;
        this.thread = new Thread(() -> {
            try {
                while (running.get()) {
                    onPoll.accept(consumer.poll(pollTimeout));
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
