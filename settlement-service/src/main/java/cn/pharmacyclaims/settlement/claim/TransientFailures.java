package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Set;

/**
 * Which database failures are worth retrying in place. A command must not be acknowledged unless
 * its transaction committed, and its channel sends failures to the dead-letter topic, so a
 * transient failure (the database restarting, a serialization failure or deadlock, a lost
 * connection) is retried here with back-off for as long as it lasts; the partition waits, which is
 * what a settlement system should do while its database is away.
 */
public final class TransientFailures {
    private static final Logger LOG = Logger.getLogger(TransientFailures.class);

    /** serialization_failure, deadlock_detected, lock_not_available, too_many_connections, admin/crash shutdown, cannot_connect_now. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "53300", "57P01", "57P02", "57P03");
    /** unique_violation: a race with another transaction (e.g. two persons' settlements using one e-prescription, CLM-06). */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int RACE_ATTEMPTS = 5;
    /** What the Vert.x SQL pool answers once it is closed (application shutdown). */
    private static final String POOL_CLOSED = "Pool closed";

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NoStackTraceThrowable && POOL_CLOSED.equals(c.getMessage())) {
                // Shutting down: the pool closes while the consumers still deliver records (a rebalance
                // hands revoked partitions to the consumers not closed yet). Dead-lettering them would
                // skip commands never settled; retried instead, they stay unacknowledged and are
                // delivered again after the restart (CLM-01 answers those that had committed).
                return true;
            }
            if (c instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && (TRANSIENT_STATES.contains(state) || state.startsWith("08"));
            }
            if (c instanceof ClosedConnectionException || c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** A unique-key race: the retried transaction sees the winner's row and decides accordingly. */
    public static boolean isRace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PgException pg) {
                return UNIQUE_VIOLATION.equals(pg.getSqlState());
            }
        }
        return false;
    }

    /**
     * Retries {@code work} (which must be lazy: every subscription runs the whole transaction again)
     * indefinitely on transient failures and a few times on unique-key races; other failures pass.
     */
    public static <T> Uni<T> retry(Uni<T> work, SettlementConfig config) {
        SettlementConfig.Retry r = config.retry();
        return work
                .onFailure(TransientFailures::isTransient)
                .invoke(f -> LOG.warnf("transient database failure, retrying: %s", f.toString()))
                .onFailure(TransientFailures::isTransient)
                .retry().withBackOff(r.initialBackoff(), r.maxBackoff()).indefinitely()
                .onFailure(TransientFailures::isRace)
                .retry().withBackOff(r.initialBackoff(), r.maxBackoff()).atMost(RACE_ATTEMPTS);
    }
}
