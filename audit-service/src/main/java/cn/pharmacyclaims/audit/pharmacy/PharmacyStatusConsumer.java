package cn.pharmacyclaims.audit.pharmacy;

import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.json.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Keeps the local pharmacy table from the compacted {@code agreement.pharmacy-status} topic
 * (read from the earliest offset). The state lands in the database, so all instances may share one
 * consumer group; versions make the upsert idempotent and order-proof.
 */
@ApplicationScoped
public class PharmacyStatusConsumer {
    private static final Logger LOG = Logger.getLogger(PharmacyStatusConsumer.class);

    private final PharmacyStore store;
    private final Counter unparseable;

    public PharmacyStatusConsumer(PharmacyStore store, MeterRegistry registry) {
        this.store = store;
        this.unparseable = Counter.builder("pc.audit.pharmacy-status.unparseable")
                .description("pharmacy status records that could not be parsed and were skipped").register(registry);
    }

    @Incoming("pharmacy-status")
    public Uni<Void> consume(String payload) {
        if (payload == null) {
            return Uni.createFrom().voidItem(); // a tombstone: pharmacies are never deleted, only terminated
        }
        PharmacyStatusChanged event;
        try {
            event = Json.read(payload, PharmacyStatusChanged.class);
        } catch (RuntimeException e) {
            event = null;
        }
        if (event == null || event.pharmacyCode() == null) {
            unparseable.increment();
            LOG.warnf("skipping an unparseable pharmacy status record (%d characters)", payload.length());
            return Uni.createFrom().voidItem();
        }
        PharmacyStatusChanged e = event;
        return store.apply(e)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(10)
                .invoke(applied -> LOG.debugf("pharmacy %s version %d %s", e.pharmacyCode(), e.version(),
                        applied ? "stored" : "ignored (not newer)"))
                .replaceWithVoid();
    }
}
