package cn.pharmacyclaims.platform.outbox;

import cn.pharmacyclaims.platform.db.PipelinedTransaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox rows to Kafka in id order, then deletes them: once the broker has acknowledged
 * an event, the topic is its record, and the table holds only what is still to be sent. (Marking
 * rows published and purging them a day later wrote every event twice: the mark could not be a
 * heap-only update, as the index of unpublished rows covers it, so each event left a second row
 * version with its index entries, and the table held a day of events, tens of millions at 500/s.)
 * Runs right after a commit ({@link #nudge()}) for low latency, and on a timer as a sweeper that
 * catches rows left by a crash or by another instance. A PostgreSQL advisory lock lets one
 * instance relay at a time, which keeps each key's events in commit order. Delivery is at least
 * once (a crash between send and delete resends); every event has an id that consumers dedupe on.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long ADVISORY_LOCK = 0x0B0C_0001L;

    private final Pool pool;
    private final String bootstrapServers;
    private final int batchSize;
    private final boolean enabled;
    private final Counter published;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean again;
    private volatile KafkaProducer<String, String> producer;

    public OutboxRelay(Pool pool, MeterRegistry registry,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       @ConfigProperty(name = "pc.outbox.batch-size", defaultValue = "500") int batchSize,
                       @ConfigProperty(name = "pc.outbox.enabled", defaultValue = "true") boolean enabled) {
        this.pool = pool;
        this.bootstrapServers = bootstrapServers;
        this.batchSize = batchSize;
        this.enabled = enabled;
        this.published = Counter.builder("pc.outbox.published").description("events relayed from the outbox to Kafka")
                .register(registry);
    }

    void start(@Observes StartupEvent ev) {
        if (enabled) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 1,
                    ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay"),
                    new StringSerializer(), new StringSerializer());
            nudge();
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        KafkaProducer<String, String> p = producer;
        producer = null;
        if (p != null) {
            p.close(java.time.Duration.ofSeconds(5));
        }
    }

    /** Ask for a relay pass soon; passes never overlap within an instance, and requests coalesce. */
    public void nudge() {
        pass().subscribe().with(x -> { });
    }

    /**
     * A relay pass now, completing when it is done, for a caller that wants the pass off its own
     * next transaction's path (settlement's command loop runs it before it polls again). If a pass
     * is already running, asks for another after it and completes at once. Never fails: a failed
     * pass is left to the sweeper.
     */
    public Uni<Void> pass() {
        return Uni.createFrom().deferred(() -> {
            again = true; // seen by a pass already running, which then runs once more
            if (producer == null || !running.compareAndSet(false, true)) {
                return Uni.createFrom().voidItem();
            }
            again = false;
            return relayOnce().onItemOrFailure().transform((n, failure) -> {
                running.set(false);
                if (failure != null) {
                    LOG.warnf("outbox relay pass failed, the sweeper retries: %s", failure.toString());
                } else if (again || n >= batchSize) {
                    nudge();
                }
                return null;
            }).replaceWithVoid();
        });
    }

    @Scheduled(every = "${pc.outbox.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        nudge();
    }

    /**
     * One pass: up to batch-size rows, in id order. Answers how many were published. Two round
     * trips to the database ({@link PipelinedTransaction}): BEGIN, the relay lock and the rows
     * together; then, after the broker acknowledged every record, their DELETE and the COMMIT together.
     * The rows are read even when another instance holds the lock (then they are left to it).
     */
    public Uni<Integer> relayOnce() {
        return PipelinedTransaction.run(pool, tx -> {
            SqlConnection conn = tx.connection();
            Uni<Boolean> locked = conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS locked")
                    .execute(Tuple.of(ADVISORY_LOCK)).map(rs -> rs.iterator().next().getBoolean("locked"));
            Uni<RowSet<Row>> unpublished = conn.preparedQuery(
                            "SELECT id, topic, msg_key, payload, event_id FROM outbox ORDER BY id LIMIT $1")
                    .execute(Tuple.of(batchSize));
            return Uni.combine().all().unis(locked, unpublished).asTuple()
                    .flatMap(t -> t.getItem1() ? publish(tx, t.getItem2()) : tx.commitWith(List.of()).replaceWith(0));
        });
    }

    private Uni<Integer> publish(PipelinedTransaction.Tx tx, RowSet<Row> rows) {
        if (rows.size() == 0) {
            return tx.commitWith(List.of()).replaceWith(0);
        }
        List<Uni<Void>> acks = new ArrayList<>(rows.size());
        List<Long> ids = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ids.add(row.getLong("id"));
            acks.add(send(new ProducerRecord<>(row.getString("topic"), row.getString("msg_key"), row.getString("payload"))));
        }
        return Uni.join().all(acks).andFailFast()
                .flatMap(x -> tx.commitWith(List.of(tx.connection().preparedQuery("DELETE FROM outbox WHERE id = ANY($1)")
                        .execute(Tuple.of(ids.toArray(new Long[0]))))))
                .map(x -> {
                    published.increment(ids.size());
                    return ids.size();
                });
    }

    private Uni<Void> send(ProducerRecord<String, String> record) {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox relay is stopped"));
        }
        return Uni.createFrom().emitter(e -> p.send(record, (md, ex) -> {
            if (ex != null) {
                e.fail(ex);
            } else {
                e.complete(null);
            }
        }));
    }
}
