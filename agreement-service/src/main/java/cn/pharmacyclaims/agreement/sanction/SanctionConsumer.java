package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.common.events.SanctionRequested;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.platform.db.DatabaseFailures;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Consumes {@code audit.sanctions} (group agreement-service, from the earliest offset) and applies
 * each sanction once (AUD-21). A transient database failure is retried in place with back-off (the
 * partition waits); an unreadable record is logged and skipped; any other failure is recorded as a
 * sanction not applied, so nothing is retried forever.
 */
@ApplicationScoped
public class SanctionConsumer {
    private static final Logger LOG = Logger.getLogger(SanctionConsumer.class);

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

    /** The database or the connection is unwell: see {@link DatabaseFailures#isTransient}. */
    static boolean isTransient(Throwable t) {
        return DatabaseFailures.isTransient(t);
    }
}
