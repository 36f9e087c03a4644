package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.kafka.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code claims.settlement-requests.dlq}: a command record that cannot be processed goes there
 * with the same key and value and SmallRye's dead-letter headers (reason, cause, original topic,
 * partition, offset), so the partition keeps moving and an operator can look at it and replay it.
 * The record is acknowledged only after the dead letter is stored (acks=all): never lost.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final String bootstrapServers;
    private volatile KafkaProducer<String, String> producer;

    public DeadLetters(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent ev) {
        producer = Producers.create(bootstrapServers, "settlement-dead-letters", true);
    }

    void stop(@Observes ShutdownEvent ev) {
        KafkaProducer<String, String> p = producer;
        producer = null;
        Producers.close(p);
    }

    /** Stores the record on the dead-letter topic; retried until the broker has it. */
    public Uni<Void> send(ConsumerRecord<String, String> record, Throwable reason) {
        String message = reason.getMessage() == null ? reason.toString() : reason.getMessage();
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), message);
        return Uni.createFrom().<Void>emitter(e -> {
                    KafkaProducer<String, String> p = producer;
                    if (p == null) {
                        e.fail(new IllegalStateException("dead-letter producer is stopped"));
                        return;
                    }
                    ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS_DLQ, record.key(), record.value());
                    header(dead, "dead-letter-reason", message);
                    if (reason.getCause() != null) {
                        header(dead, "dead-letter-cause", String.valueOf(reason.getCause().getMessage()));
                    }
                    header(dead, "dead-letter-topic", record.topic());
                    header(dead, "dead-letter-partition", Integer.toString(record.partition()));
                    header(dead, "dead-letter-offset", Long.toString(record.offset()));
                    p.send(dead, (md, ex) -> {
                        if (ex != null) {
                            e.fail(ex);
                        } else {
                            e.complete(null);
                        }
                    });
                })
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5)).indefinitely();
    }

    private static void header(ProducerRecord<String, String> r, String name, String value) {
        r.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
