package cn.pharmacyclaims.platform.db;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.TransactionRollbackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain unit test of the platform's {@link DatabaseFailures} (JUnit only, no Quarkus).
 */
class DatabaseFailuresTest {

    private static PgException pg(String sqlState) {
        return new PgException("boom", "ERROR", sqlState, "detail");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "08000", "08003", "08006", "08001",   // connection lost or refused
            "40001", "40P01", "40002",            // serialization failure, deadlock, any class 40
            "53300", "53200", "53100",            // too many connections, out of memory, disk full
            "57P01", "57P02", "57P03", "57014",   // admin/crash shutdown, cannot connect now, query canceled
            "58000", "58030",                     // system error, I/O error
            "55P03"})                             // lock_not_available
    void transientSqlStates(String state) {
        assertTrue(DatabaseFailures.transientState(state), state);
        assertTrue(DatabaseFailures.isTransient(pg(state)), state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23514", "23503", "42P01", "42601", "22003", "55000", "55006", "P0001", "XX000"})
    void otherSqlStatesAreNotTransient(String state) {
        assertFalse(DatabaseFailures.transientState(state), state);
        assertFalse(DatabaseFailures.isTransient(pg(state)), state);
    }

    @Test
    void malformedSqlStatesAreNotTransient() {
        assertFalse(DatabaseFailures.transientState(null));
        assertFalse(DatabaseFailures.transientState(""));
        assertFalse(DatabaseFailures.transientState("08"));
        assertFalse(DatabaseFailures.isTransient(pg(null)));
    }

    @Test
    void connectionAndNetworkFailuresAreTransient() {
        assertTrue(DatabaseFailures.isTransient(ClosedConnectionException.INSTANCE));
        assertTrue(DatabaseFailures.isTransient(new IOException("connection reset")));
        assertTrue(DatabaseFailures.isTransient(new ConnectException("refused")));
        assertTrue(DatabaseFailures.isTransient(new TimeoutException()));
        assertTrue(DatabaseFailures.isTransient(new VertxException("Pending requests failed to be sent due to connection has been closed.",
                new IllegalStateException("decoder"))));
        assertTrue(DatabaseFailures.isTransient(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 8")));
    }

    @Test
    void thePoolsOwnMessagesAreTransient_soThatAShutdownNeverDeadLettersACommand() {
        assertTrue(DatabaseFailures.isTransient(new NoStackTraceThrowable("Pool closed")));
        assertTrue(DatabaseFailures.isTransient(new NoStackTraceThrowable("Timeout")));
        assertTrue(DatabaseFailures.isTransient(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")));
        assertTrue(DatabaseFailures.isTransient(
                new NoStackTraceThrowable("Pending requests failed to be sent due to connection has been closed.")));
    }

    @Test
    void aStatementsOwnMistakeReportedByThePoolIsNotTransient() {
        // the same NoStackTraceThrowable type carries bind errors: retrying them would hold the partition forever
        assertFalse(DatabaseFailures.isTransient(new NoStackTraceThrowable(
                "The number of parameters to execute should be consistent with the expected number of parameters = [2] but the actual number is 1.")));
        assertFalse(DatabaseFailures.isTransient(new NoStackTraceThrowable("Can not execute batch query with 0 sets of batch parameters.")));
        assertFalse(DatabaseFailures.isTransient(new NoStackTraceThrowable(null)));
    }

    @Test
    void malformedJsonIsNotTransient_althoughJacksonsExceptionsAreIOExceptions() {
        assertFalse(DatabaseFailures.isTransient(new com.fasterxml.jackson.core.JsonParseException(null, "Unexpected character")));
        assertFalse(DatabaseFailures.isTransient(new java.io.UncheckedIOException(
                new com.fasterxml.jackson.core.JsonParseException(null, "Unexpected character"))));
        assertFalse(DatabaseFailures.isTransient(new io.vertx.core.json.DecodeException("Failed to decode")));
        assertFalse(DatabaseFailures.isTransient(new VertxException("some other Vert.x failure")));
    }

    @Test
    void aRolledBackTransactionIsNotTransientAlthoughItIsAVertxException() {
        assertFalse(DatabaseFailures.isTransient(TransactionRollbackException.INSTANCE));
    }

    @Test
    void theFirstRecognisedCauseDecides() {
        assertTrue(DatabaseFailures.isTransient(new RuntimeException(new CompletionException(pg("40001")))));
        assertFalse(DatabaseFailures.isTransient(new RuntimeException(new CompletionException(pg("23514")))));
        assertTrue(DatabaseFailures.isTransient(new IllegalStateException("wrapped", new IOException("reset"))));
        assertTrue(DatabaseFailures.isTransient(new RuntimeException(new NoStackTraceThrowable("Pool closed"))));
        assertFalse(DatabaseFailures.isTransient(new RuntimeException(TransactionRollbackException.INSTANCE)));
    }

    @Test
    void failuresOfTheCodeAreNotTransient() {
        assertFalse(DatabaseFailures.isTransient(new RuntimeException("a bug")));
        assertFalse(DatabaseFailures.isTransient(new IllegalArgumentException("bad", new IllegalStateException())));
        assertFalse(DatabaseFailures.isTransient(null));
    }

    @Test
    void aCauseChainThatLoopsIsWalkedOnce() {
        assertFalse(DatabaseFailures.isTransient(new SelfCaused()));
        assertFalse(DatabaseFailures.isUniqueViolation(new SelfCaused()));
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(DatabaseFailures.isTransient(a));
        assertFalse(DatabaseFailures.isUniqueViolation(a));
    }

    @Test
    void uniqueViolationAnywhereInTheChain_firstPgExceptionDecides() {
        assertTrue(DatabaseFailures.isUniqueViolation(pg("23505")));
        assertTrue(DatabaseFailures.isUniqueViolation(new RuntimeException(new CompletionException(pg("23505")))));
        assertFalse(DatabaseFailures.isTransient(pg("23505")));
        assertFalse(DatabaseFailures.isUniqueViolation(pg("23514")));
        assertFalse(DatabaseFailures.isUniqueViolation(new RuntimeException(pg("40001"))));
        assertFalse(DatabaseFailures.isUniqueViolation(new IllegalStateException()));
        assertFalse(DatabaseFailures.isUniqueViolation(null));
    }

    /** A throwable whose cause is itself (Throwable.getCause() hides that; an override need not). */
    private static final class SelfCaused extends RuntimeException {
        @Override
        public synchronized Throwable getCause() {
            return this;
        }
    }
}
