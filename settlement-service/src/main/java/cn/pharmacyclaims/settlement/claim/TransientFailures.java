package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.platform.db.DatabaseFailures;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Settlement's policy for database failures. A command must not be acknowledged unless its transaction committed, and its
 * channel sends failures to the dead-letter topic, so a transient failure (the database restarting, a serialization failure
 * or deadlock, a lost connection, the pool closing at shutdown: see {@link DatabaseFailures#isTransient}) is retried here
 * with back-off for as long as it lasts; the partition waits, which is what a settlement system should do while its
 * database is away.
 */
public final class TransientFailures {
    private static final Logger LOG = Logger.getLogger(TransientFailures.class);

    private static final int RACE_ATTEMPTS = 5;

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable t) {
        return DatabaseFailures.isTransient(t);
    }

    /**
     * A unique-key race (e.g. two persons' settlements using one e-prescription, CLM-06): the retried transaction sees the
     * winner's row and decides accordingly.
     */
    public static boolean isRace(Throwable t) {
        return DatabaseFailures.isUniqueViolation(t);
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
