package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * SEC-01 replay protection shared by every gateway instance: a nonce is recorded in the gateway
 * database, and the primary key (terminal_id, nonce) makes the first instance to insert it win.
 * Rows older than twice the skew window are purged: a nonce seen at t was signed at most one
 * window after t, so a replay past t + 2 windows is already refused for its timestamp.
 */
@Singleton
public class NonceStore {
    private static final Logger LOG = Logger.getLogger(NonceStore.class);

    private final Pool pool;
    private final long keepSeconds;

    public NonceStore(Pool pool, GatewayConfig config) {
        this.pool = pool;
        this.keepSeconds = config.clockSkew().multipliedBy(2).toSeconds();
    }

    /** True the first time this terminal uses this nonce, on any instance; false for a replay. */
    public Uni<Boolean> firstUse(String terminalId, String nonce) {
        return pool.preparedQuery("INSERT INTO seen_nonce (terminal_id, nonce, seen_at) VALUES ($1, $2, now()) "
                        + "ON CONFLICT DO NOTHING")
                .execute(Tuple.of(terminalId, nonce))
                .map(rs -> rs.rowCount() == 1);
    }

    @Scheduled(every = "${pc.gateway.nonce.purge-interval:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
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
