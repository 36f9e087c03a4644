package cn.pharmacyclaims.settlement.claim;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class TransientFailuresTest {

    private static PgException pg(String state) {
        return new PgException("x", "ERROR", state, "detail");
    }

    @Test
    void serializationDeadlockAndConnectionFailuresAreTransient() {
        assertThat(TransientFailures.isTransient(pg("40001"))).isTrue();
        assertThat(TransientFailures.isTransient(pg("40P01"))).isTrue();
        assertThat(TransientFailures.isTransient(pg("08006"))).isTrue();
        assertThat(TransientFailures.isTransient(new RuntimeException(new IOException("reset")))).isTrue();
    }

    @Test
    void aClosedPoolIsTransient_soThatAShutdownNeverDeadLettersACommand() {
        assertThat(TransientFailures.isTransient(new NoStackTraceThrowable("Pool closed"))).isTrue();
        assertThat(TransientFailures.isTransient(new NoStackTraceThrowable("something else"))).isFalse();
    }

    @Test
    void constraintViolationsAreNotTransientButUniqueRacesAreRetried() {
        assertThat(TransientFailures.isTransient(pg("23514"))).isFalse(); // balance >= 0: a bug, never retried forever
        assertThat(TransientFailures.isTransient(pg("23505"))).isFalse();
        assertThat(TransientFailures.isRace(pg("23505"))).isTrue();
        assertThat(TransientFailures.isRace(new IllegalStateException())).isFalse();
    }
}
