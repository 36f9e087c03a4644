package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SEC-01 replay protection shared by every gateway instance: a nonce is recorded in the gateway
 * database, and the primary key (terminal_id, nonce) makes the first instance to insert it win.
 * Rows older than twice the skew window are purged: a nonce seen at t was signed at most one
 * window after t, so a replay past t + 2 windows is already refused for its timestamp.
 *
 * <p>Nonces are recorded in micro-batches: when no statement is in flight a nonce goes at once,
 * alone (no added latency when traffic is light); the nonces that arrive while one is in flight
 * wait for it and then go together, up to {@code max-batch} in one
 * {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING RETURNING}, committed before
 * anyone is answered. Each caller learns whether its own nonce was inserted by that statement, so
 * the check is exactly as strong as one insert per nonce: the database still decides, across
 * instances. The same nonce twice in one batch is new for the first caller only. A failed
 * statement fails every caller of that batch (each POS gets the 503 it would have got alone).
 */
@Singleton
public class NonceStore {
    private static final Logger LOG = Logger.getLogger(NonceStore.class);
    private static final String INSERT = "INSERT INTO seen_nonce (terminal_id, nonce, seen_at) "
            + "SELECT t, n, now() FROM unnest($1::text[], $2::text[]) AS u(t, n) "
            + "ON CONFLICT DO NOTHING RETURNING terminal_id, nonce";

    /** A terminal's nonce; ordered, so that every batch inserts in one global order (no deadlock between instances). */
    record Key(String terminalId, String nonce) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = terminalId.compareTo(o.terminalId);
            return c != 0 ? c : nonce.compareTo(o.nonce);
        }
    }

    /** One caller: answered on its own Vert.x context (the statement's result arrives on another caller's). */
    private record Waiter(Key key, Context context, UniEmitter<? super Boolean> emitter) {
        void answer(Boolean first, Throwable failure) {
            if (context == null || Vertx.currentContext() == context) {
                emit(first, failure);
            } else {
                context.runOnContext(x -> emit(first, failure));
            }
        }

        private void emit(Boolean first, Throwable failure) {
            if (failure != null) {
                emitter.fail(failure);
            } else {
                emitter.complete(first);
            }
        }
    }

    private final Pool pool;
    private final long keepSeconds;
    private final int maxBatch;
    private final DistributionSummary batchSizes;
    private final AtomicLong statements = new AtomicLong();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** Guarded by {@code queue}: a statement is in flight. */
    private boolean inFlight;

    @Inject
    public NonceStore(Pool pool, GatewayConfig config, MeterRegistry meters) {
        this(pool, config.clockSkew(), config.nonce().maxBatch(), meters);
    }

    public NonceStore(Pool pool, Duration clockSkew, int maxBatch) {
        this(pool, clockSkew, maxBatch, new SimpleMeterRegistry());
    }

    private NonceStore(Pool pool, Duration clockSkew, int maxBatch, MeterRegistry meters) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("pc.gateway.nonce.max-batch must be at least 1");
        }
        this.pool = pool;
        this.keepSeconds = clockSkew.multipliedBy(2).toSeconds();
        this.maxBatch = maxBatch;
        this.batchSizes = DistributionSummary.builder("pc.gateway.nonce.batch-size")
                .description("nonces recorded by one statement (SEC-01 replay check)").register(meters);
    }

    /** True the first time this terminal uses this nonce, on any instance; false for a replay. */
    public Uni<Boolean> firstUse(String terminalId, String nonce) {
        if (terminalId.indexOf('\0') >= 0 || nonce.indexOf('\0') >= 0) {
            // PostgreSQL text cannot hold NUL: refused alone, as its own insert would have been, not
            // failing the whole batch it would have joined
            return Uni.createFrom().failure(new IllegalArgumentException("a nonce or terminal id with a NUL character cannot be recorded"));
        }
        Key key = new Key(terminalId, nonce);
        return Uni.createFrom().emitter(em -> submit(new Waiter(key, Vertx.currentContext(), em)));
    }

    /** Statements executed so far (tests: concurrent nonces share them). */
    long statements() {
        return statements.get();
    }

    private void submit(Waiter waiter) {
        List<Waiter> batch;
        synchronized (queue) {
            queue.add(waiter);
            if (inFlight) {
                return;   // goes with the next statement, when this one returns
            }
            inFlight = true;
            batch = drain();
        }
        execute(batch);
    }

    /** Guarded by {@code queue}. */
    private List<Waiter> drain() {
        List<Waiter> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
        while (!queue.isEmpty() && batch.size() < maxBatch) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private void execute(List<Waiter> batch) {
        TreeSet<Key> keys = new TreeSet<>();
        for (Waiter w : batch) {
            keys.add(w.key());
        }
        String[] terminals = new String[keys.size()];
        String[] nonces = new String[keys.size()];
        int i = 0;
        for (Key k : keys) {
            terminals[i] = k.terminalId();
            nonces[i] = k.nonce();
            i++;
        }
        statements.incrementAndGet();
        batchSizes.record(batch.size());
        Uni<Set<Key>> inserted;
        try {
            inserted = pool.preparedQuery(INSERT).execute(Tuple.of(terminals, nonces)).map(rows -> {
                Set<Key> fresh = new HashSet<>();
                for (Row r : rows) {
                    fresh.add(new Key(r.getString(0), r.getString(1)));
                }
                return fresh;
            });
        } catch (RuntimeException e) {
            inserted = Uni.createFrom().failure(e);
        }
        inserted.subscribe().with(fresh -> done(batch, fresh, null), failure -> done(batch, null, failure));
    }

    private void done(List<Waiter> batch, Set<Key> fresh, Throwable failure) {
        // the next statement goes out first, then this batch's callers are answered
        List<Waiter> next;
        synchronized (queue) {
            if (queue.isEmpty()) {
                inFlight = false;
                next = null;
            } else {
                next = drain();
            }
        }
        if (next != null) {
            execute(next);
        }
        if (failure != null) {
            for (Waiter w : batch) {
                w.answer(null, failure);
            }
            return;
        }
        // a key is new for the first of its callers only: a second caller with it is a replay
        for (Waiter w : batch) {
            w.answer(fresh.remove(w.key()), null);
        }
    }

    @Scheduled(every = "${pc.gateway.nonce.purge-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return pool.preparedQuery("DELETE FROM seen_nonce WHERE seen_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) keepSeconds))
                .invoke(rs -> {
                    if (rs.rowCount() > 0) {
                        LOG.debugf("purged %d expired nonces", rs.rowCount());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("nonce purge failed, next run retries: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
