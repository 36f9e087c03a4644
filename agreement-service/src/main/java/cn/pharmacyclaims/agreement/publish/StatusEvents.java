package cn.pharmacyclaims.agreement.publish;

import cn.pharmacyclaims.agreement.lifecycle.Agreement;
import cn.pharmacyclaims.agreement.pharmacy.Pharmacy;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.platform.outbox.Outbox;
import cn.pharmacyclaims.platform.outbox.OutboxMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * AGR-11: every change of a pharmacy or its agreement becomes a full-state
 * {@link PharmacyStatusChanged} on the compacted {@code agreement.pharmacy-status} topic (key
 * pharmacyCode), written to the outbox in the transaction that makes the change.
 */
@ApplicationScoped
public class StatusEvents {
    private final Outbox outbox;

    public StatusEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> add(SqlClient tx, List<OutboxMessage> messages) {
        return outbox.addAll(tx, messages);
    }

    public Uni<Void> add(SqlClient tx, PharmacyState state, OffsetDateTime changedAt, String reason) {
        return outbox.add(tx, message(state, changedAt, reason));
    }

    public static PharmacyStatusChanged event(PharmacyState state, OffsetDateTime changedAt, String reason) {
        Pharmacy p = state.pharmacy();
        Agreement a = state.agreement();
        return new PharmacyStatusChanged(p.code(), p.name(), p.regionCode(), p.address(), p.lat(), p.lon(), p.businessHours(),
                a.status(), a.type().name(), a.validFrom(), a.validTo(), p.version(), changedAt, reason);
    }

    /** The event id is the pharmacy code and version: unique, and the same on a redelivery (consumers dedupe on it). */
    public static OutboxMessage message(PharmacyState state, OffsetDateTime changedAt, String reason) {
        return new OutboxMessage("pharmacy-status:" + state.code() + ":" + state.version(), Topics.PHARMACY_STATUS, state.code(),
                Json.write(event(state, changedAt, reason)));
    }
}
