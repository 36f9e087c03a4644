package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.common.events.SanctionRequested;
import cn.pharmacyclaims.common.json.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * Consumes {@code audit.sanctions} (group agreement-service, from the earliest offset) and applies
 * each sanction once (AUD-21). A transient database failure is retried in place with back-off (the
 * partition waits); an unreadable record is logged and skipped; any other failure is recorded as a
 * sanction not applied, so nothing is retried forever.
 */
@ApplicationScoped
public class SanctionConsumer {
    private static final Logger LOG = Logger.getLogger(SanctionConsumer.class);
    /** serialization_failure, deadlock_detected, lock_not_available, too_many_connections, admin/crash shutdown, cannot_connect_now. */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "55P03", "53300", "57P01", "57P02", "57P03");

    private final SanctionService service;

    public SanctionConsumer(SanctionService service) {
        this.service = service;
    }

    @Incoming("sanctions")
    public Uni<Void> onSanction(String payload) {
        SanctionRequested e;
        try {
            e = payload == null ? null : Json.read(payload, SanctionRequested.class);
        } catch (RuntimeException ex) {
            LOG.warnf("skipping unreadable sanction: %s", ex.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (e == null || e.sanctionId() == null || e.sanctionId().isBlank()) {
            LOG.warn("skipping a sanction without sanctionId (it cannot be applied exactly once)");
            return Uni.createFrom().voidItem();
        }
        SanctionRequested sanction = e;
        return Uni.createFrom().deferred(() -> service.apply(sanction))
                .onFailure(SanctionConsumer::isTransient)
                .invoke(f -> LOG.warnf("transient database failure applying sanction %s, retrying: %s", sanction.sanctionId(), f.toString()))
                .onFailure(SanctionConsumer::isTransient).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid()
                .onFailure().recoverWithUni(f -> {
                    LOG.errorf(f, "sanction %s could not be applied; recorded as not applied", sanction.sanctionId());
                    return service.recordFailure(sanction, f).onFailure().invoke(g ->
                            LOG.errorf(g, "sanction %s could not even be recorded; skipped", sanction.sanctionId()))
                            .onFailure().recoverWithNull();
                });
    }

    static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && (TRANSIENT.contains(state) || state.startsWith("08"));
            }
            if (c instanceof ClosedConnectionException || c instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
