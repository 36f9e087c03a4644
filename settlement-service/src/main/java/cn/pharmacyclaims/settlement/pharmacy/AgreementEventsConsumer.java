package cn.pharmacyclaims.settlement.pharmacy;

import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.settlement.claim.TransientFailures;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the local copy of pharmacy status and terminals (AGR-11) from the agreement service's
 * compacted topics, read from the earliest offset by a group of each instance's own. Idempotent by
 * version: an event not newer than the copy held changes nothing, so replays are harmless.
 */
@ApplicationScoped
public class AgreementEventsConsumer {
    private static final Logger LOG = Logger.getLogger(AgreementEventsConsumer.class);

    private final Pool pool;
    private final PharmacyDirectory directory;
    private final SettlementConfig config;

    public AgreementEventsConsumer(Pool pool, PharmacyDirectory directory, SettlementConfig config) {
        this.pool = pool;
        this.directory = directory;
        this.config = config;
    }

    @Incoming("pharmacy-status")
    public Uni<Void> onPharmacyStatus(String payload) {
        PharmacyStatusChanged e = parse(payload, PharmacyStatusChanged.class);
        if (e == null || e.pharmacyCode() == null || e.status() == null) {
            return Uni.createFrom().voidItem();
        }
        return TransientFailures.retry(Uni.createFrom().deferred(() -> directory.apply(pool, e)), config)
                .invoke(applied -> LOG.debugf("pharmacy %s v%d %s: %s", e.pharmacyCode(), e.version(), e.status(),
                        applied ? "applied" : "not newer, ignored"))
                .replaceWithVoid();
    }

    @Incoming("terminals")
    public Uni<Void> onTerminal(String payload) {
        TerminalChanged e = parse(payload, TerminalChanged.class);
        if (e == null || e.terminalId() == null || e.pharmacyCode() == null || e.status() == null) {
            return Uni.createFrom().voidItem();
        }
        return TransientFailures.retry(Uni.createFrom().deferred(() -> directory.apply(pool, e)), config)
                .invoke(applied -> LOG.debugf("terminal %s v%d %s: %s", e.terminalId(), e.version(), e.status(),
                        applied ? "applied" : "not newer, ignored"))
                .replaceWithVoid();
    }

    /** A state topic must keep flowing: an unreadable event (or a compaction tombstone) is logged and skipped. */
    private static <T> T parse(String payload, Class<T> type) {
        if (payload == null) {
            return null;
        }
        try {
            return Json.read(payload, type);
        } catch (RuntimeException e) {
            LOG.warnf("skipping unreadable %s event: %s", type.getSimpleName(), e.getMessage());
            return null;
        }
    }
}
