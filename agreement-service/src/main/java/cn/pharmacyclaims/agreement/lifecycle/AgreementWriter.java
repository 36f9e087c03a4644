package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.ban.BanService;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.HistoryEntry;
import cn.pharmacyclaims.agreement.history.StatusHistory;
import cn.pharmacyclaims.agreement.pharmacy.Pharmacy;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.agreement.publish.StatusEvents;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Applies a {@link Transition} to a locked pharmacy, inside the caller's transaction: the new
 * agreement state, the history row (SEC-04) and, when the agreement is the pharmacy's home-region one,
 * the pharmacy's next published version and its PharmacyStatusChanged outbox row (AGR-11), commit
 * together or not at all. A termination also records the AGR-12 ban its ground carries.
 *
 * <p>AGR-10 / AGR-11 design choice: {@code agreement.pharmacy-status} carries one status per pharmacy,
 * that of its home-region agreement. A change of an agreement in another region is recorded in the
 * history but publishes nothing (and keeps the version); a cascade that reaches the home region
 * publishes like any other change of it.
 */
@ApplicationScoped
public class AgreementWriter {
    private final PharmacyStore store;
    private final StatusHistory history;
    private final StatusEvents events;
    private final BanService bans;

    public AgreementWriter(PharmacyStore store, StatusHistory history, StatusEvents events, BanService bans) {
        this.store = store;
        this.history = history;
        this.events = events;
        this.bans = bans;
    }

    /**
     * @param locked the state read with {@link PharmacyStore#lock}/{@link PharmacyStore#lockAgreements} (or claimed) in this
     *               transaction; for a pharmacy that does not exist yet (AGR-04 signing), its data with version 0
     */
    public Uni<PharmacyState> apply(SqlClient tx, PharmacyState locked, Transition t, Cause cause, OffsetDateTime now) {
        Pharmacy p = locked.pharmacy();
        boolean created = p.version() == 0;
        boolean home = t.after().regionCode().equals(p.regionCode());
        long version = home ? p.version() + 1 : p.version();
        Pharmacy pAfter = p.withVersion(version);
        Uni<Void> pharmacy = created
                ? store.insertPharmacies(tx, List.of(pAfter), now)
                : Uni.createFrom().voidItem();
        return pharmacy.flatMap(x -> t.newTerm() ? insertTerm(tx, t, now) : store.updateAgreements(tx, List.of(t.after()), now)
                        .replaceWith(t.after()))
                .flatMap(a -> {
                    PharmacyState after = new PharmacyState(pAfter, a);
                    String reason = t.reasonWith(cause.reason());
                    HistoryEntry entry = new HistoryEntry(0, p.code(), a.id(), t.action(), t.from(), t.to(), a.settlementHold(), reason,
                            t.ground(), t.ruleId(), cause.actor(), cause.source(), now, version, a.regionCode());
                    Uni<Void> published = home && !created
                            ? store.setVersion(tx, p.code(), version, now).flatMap(y -> events.add(tx, after, now, reason))
                            : home ? events.add(tx, after, now, reason) : Uni.createFrom().voidItem();
                    return published
                            .flatMap(y -> history.append(tx, List.of(entry)))
                            .flatMap(y -> t.to() == PharmacyStatus.TERMINATED && t.from() != PharmacyStatus.TERMINATED && t.ground() != null
                                    ? bans.onTermination(tx, p.code(), t.ground(), cause, now)
                                    : Uni.createFrom().voidItem())
                            .replaceWith(after);
                });
    }

    /** A new term: the previous agreement of the region (if any) stops being current, the new row is inserted. */
    private Uni<Agreement> insertTerm(SqlClient tx, Transition t, OffsetDateTime now) {
        List<Long> superseded = t.before() == null ? List.of() : List.of(t.before().id());
        return store.reserveAgreementIds(tx, 1).flatMap(ids -> {
            Agreement a = t.after().withId(ids.get(0));
            return store.supersede(tx, superseded, now)
                    .flatMap(x -> store.insertAgreements(tx, List.of(a), now))
                    .replaceWith(a);
        });
    }
}
