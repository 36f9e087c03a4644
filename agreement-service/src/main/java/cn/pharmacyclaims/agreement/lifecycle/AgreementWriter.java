package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.HistoryEntry;
import cn.pharmacyclaims.agreement.history.StatusHistory;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.agreement.publish.StatusEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Applies a {@link Transition} to a locked pharmacy, inside the caller's transaction: the new
 * agreement state, the pharmacy's next published version, the history row (SEC-04) and the
 * PharmacyStatusChanged outbox row (AGR-11) commit together or not at all.
 */
@ApplicationScoped
public class AgreementWriter {
    private final PharmacyStore store;
    private final StatusHistory history;
    private final StatusEvents events;

    public AgreementWriter(PharmacyStore store, StatusHistory history, StatusEvents events) {
        this.store = store;
        this.history = history;
        this.events = events;
    }

    /** @param locked the state read with {@link PharmacyStore#lock} (or claimed) in this transaction */
    public Uni<PharmacyState> apply(SqlClient tx, PharmacyState locked, Transition t, Cause cause, OffsetDateTime now) {
        long version = locked.version() + 1;
        PharmacyState after = new PharmacyState(locked.pharmacy().withVersion(version), t.after());
        String reason = t.reasonWith(cause.reason());
        HistoryEntry entry = new HistoryEntry(0, locked.code(), t.after().id(), t.action(), t.from(), t.to(),
                t.after().settlementHold(), reason, t.ground(), t.ruleId(), cause.actor(), cause.source(), now, version);
        return store.updateAgreements(tx, List.of(t.after()), now)
                .flatMap(x -> store.setVersion(tx, locked.code(), version, now))
                .flatMap(x -> history.append(tx, List.of(entry)))
                .flatMap(x -> events.add(tx, after, now, reason))
                .replaceWith(after);
    }
}
