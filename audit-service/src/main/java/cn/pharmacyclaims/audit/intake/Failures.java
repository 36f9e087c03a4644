package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.alert.AlertStore;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.TransactionRollbackException;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure worth retrying as it is (the database or the connection is unwell, or a
 * concurrent writer got in the way) from one that a retry would only repeat (the statement or the
 * data is wrong, or the code failed on a decision).
 */
final class Failures {
    private Failures() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return transientState(pg.getSqlState());
            }
            if (t instanceof AlertStore.ConcurrentAlertException) {
                return true;
            }
            if (t instanceof DatabaseException || t instanceof TransactionRollbackException) {
                return false;
            }
            // closed connection, pool or network timeout
            if (t instanceof VertxException || t instanceof IOException || t instanceof TimeoutException
                    || t instanceof io.vertx.core.impl.NoStackTraceThrowable) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes 08 (connection), 40 (serialization failure, deadlock), 53 (out of resources),
     * 57 (operator intervention: shutdown, cancel), 58 (system I/O) and lock_not_available.
     */
    static boolean transientState(String sqlState) {
        if (sqlState == null || sqlState.length() < 2) {
            return false;
        }
        String cls = sqlState.substring(0, 2);
        return switch (cls) {
            case "08", "40", "53", "57", "58" -> true;
            default -> "55P03".equals(sqlState);
        };
    }
}
