package cn.pharmacyclaims.platform.db;

import com.fasterxml.jackson.core.JacksonException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.TransactionRollbackException;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The one answer to "is this database failure worth retrying in place?". A consumer must not acknowledge a command whose
 * transaction did not commit; what it does with a failure is its own policy (back-off, attempts, dead-letter), but which
 * failures are the database or the connection being unwell, and so go away by themselves, is decided here for every
 * service. Anything not recognised is <em>not</em> transient: a failure a retry would only repeat (wrong statement, wrong
 * data, a decision of the code) must reach the consumer's own error path instead of holding its partition forever.
 *
 * <p>The cause chain is walked from the outside in and the first throwable this class recognises decides.
 */
public final class DatabaseFailures {
    /** unique_violation. */
    public static final String UNIQUE_VIOLATION = "23505";
    /** lock_not_available (SELECT ... FOR UPDATE NOWAIT, lock_timeout): the holder will let go. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /**
     * What the Vert.x SQL pool and connection answer (as a {@link NoStackTraceThrowable}, a bare message) when the pool or
     * the connection is gone or saturated; the same type also carries a statement's own mistakes (parameters that do not
     * match, an empty batch), which are never retried, hence the match on the message.
     */
    private static final List<String> POOL_MESSAGES = List.of(
            "Pool closed",                            // the pool was closed: application shutdown
            "Timeout",                                // no connection could be acquired in time
            "Connection is not active now",           // the connection closed under the statement
            "Pending requests failed to be sent due to connection has been closed");

    private DatabaseFailures() {
    }

    /**
     * Whether {@code failure} is the database or the connection being unwell, so that running the whole transaction
     * again later can succeed:
     * <ul>
     * <li>a {@link PgException} decides by its SQLSTATE ({@link #transientState(String)});</li>
     * <li>any other {@link DatabaseException}, and {@link TransactionRollbackException} (the commit found the transaction
     * already rolled back because one of its statements failed) are not transient: nothing says the cause would not
     * repeat. They are checked before the {@link VertxException} rule below, which they extend;</li>
     * <li>a closed connection ({@link ClosedConnectionException}), a pool too busy to queue another request
     * ({@link ConnectionPoolTooBusyException}), an {@link IOException} (socket reset, refused connect, TLS; not Jackson's
     * {@link JacksonException}, which is malformed JSON) and a {@link TimeoutException} are transient; any other
     * {@link VertxException} only with one of the connection's or pool's own messages;</li>
     * <li>the pool's {@link NoStackTraceThrowable}s ({@link #POOL_MESSAGES}) are transient. "Pool closed" in particular
     * arrives at shutdown: the pool closes while the consumers still deliver records (a rebalance hands revoked
     * partitions to the consumers not closed yet). Dead-lettering them would skip commands never applied; retried
     * instead, they stay unacknowledged and are delivered again after the restart, where idempotence answers those
     * that had committed.</li>
     * </ul>
     * A cause chain that loops back on itself is walked once.
     */
    public static boolean isTransient(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PgException pg) {
                return transientState(pg.getSqlState());
            }
            if (t instanceof DatabaseException || t instanceof TransactionRollbackException) {
                return false;
            }
            if (t instanceof JacksonException) {
                return false; // malformed JSON is the data being wrong: an IOException by type only
            }
            if (t instanceof ClosedConnectionException || t instanceof ConnectionPoolTooBusyException || t instanceof IOException
                    || t instanceof TimeoutException) {
                return true;
            }
            // other VertxExceptions (a JSON DecodeException, an EncodeException) are the data or the code: only the
            // connection's and the pool's own messages pass by themselves
            if ((t instanceof NoStackTraceThrowable || t instanceof VertxException) && isPoolMessage(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the first {@link PgException} in the chain is a unique_violation (23505): a race with a concurrent
     * transaction inserting the same key. Run again, the transaction sees the winner's row and decides accordingly, so a
     * caller may retry it a few times (not indefinitely: a unique key the code itself violates would repeat).
     */
    public static boolean isUniqueViolation(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PgException pg) {
                return UNIQUE_VIOLATION.equals(pg.getSqlState());
            }
        }
        return false;
    }

    /**
     * Whether a PostgreSQL SQLSTATE names a condition that passes by itself:
     * <ul>
     * <li>class 08, connection exception: the connection was lost or could not be made;</li>
     * <li>class 40, transaction rollback: serialization failure (40001) or deadlock (40P01), where PostgreSQL itself
     * asks the client to run the transaction again;</li>
     * <li>class 53, insufficient resources: too many connections, out of memory or disk for now;</li>
     * <li>class 57, operator intervention: admin or crash shutdown, cannot connect now (starting up), query canceled;</li>
     * <li>class 58, system error: I/O error on the server;</li>
     * <li>55P03 lock_not_available: a lock wait gave up; the holder will commit or roll back.</li>
     * </ul>
     * Every other state (integrity violations such as 23505 or 23514, syntax or missing objects such as 42P01, data
     * exceptions) is the statement or the data being wrong and would fail again.
     */
    public static boolean transientState(String sqlState) {
        if (sqlState == null || sqlState.length() != 5) {
            return false;
        }
        return switch (sqlState.substring(0, 2)) {
            case "08", "40", "53", "57", "58" -> true;
            default -> LOCK_NOT_AVAILABLE.equals(sqlState);
        };
    }

    private static boolean isPoolMessage(String message) {
        if (message == null) {
            return false;
        }
        for (String m : POOL_MESSAGES) {
            if (message.startsWith(m)) {
                return true;
            }
        }
        return false;
    }
}
