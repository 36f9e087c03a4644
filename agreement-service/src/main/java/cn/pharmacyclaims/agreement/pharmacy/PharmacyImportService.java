package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.HistoryEntry;
import cn.pharmacyclaims.agreement.history.Source;
import cn.pharmacyclaims.agreement.history.StatusHistory;
import cn.pharmacyclaims.agreement.lifecycle.Action;
import cn.pharmacyclaims.agreement.lifecycle.Agreement;
import cn.pharmacyclaims.agreement.pharmacy.ImportPlanner.Change;
import cn.pharmacyclaims.agreement.pharmacy.ImportPlanner.Kind;
import cn.pharmacyclaims.agreement.pharmacy.ImportPlanner.Plan;
import cn.pharmacyclaims.agreement.publish.StatusEvents;
import cn.pharmacyclaims.platform.outbox.OutboxMessage;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * POS-API.md section 4 pharmacy import: validate every row (nothing stored if any is bad), then upsert
 * all rows in one transaction together with their history rows (SEC-04) and one full-state
 * PharmacyStatusChanged per created or changed pharmacy in the outbox (AGR-11).
 */
@ApplicationScoped
public class PharmacyImportService {
    private static final Logger LOG = Logger.getLogger(PharmacyImportService.class);

    private final Pool pool;
    private final PharmacyStore store;
    private final StatusHistory history;
    private final StatusEvents statusEvents;
    private final OutboxRelay relay;
    private final Clock clock;

    public PharmacyImportService(Pool pool, PharmacyStore store, StatusHistory history, StatusEvents statusEvents,
                                 OutboxRelay relay, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.history = history;
        this.statusEvents = statusEvents;
        this.relay = relay;
        this.clock = clock;
    }

    public Uni<ImportResult> importRows(List<PharmacyImportRow> rows, String actor) {
        ImportValidator.Result checked = ImportValidator.validate(rows);
        if (!checked.ok()) {
            return Uni.createFrom().failure(invalid(checked.errors()));
        }
        List<String> codes = checked.rows().stream().map(r -> r.pharmacy().code()).toList();
        return pool.withTransaction(tx -> store.lockAll(tx, codes).flatMap(existing -> store.otherRegions(tx, codes).flatMap(others -> {
                    OffsetDateTime now = BeijingTime.now(clock);
                    Map<String, PharmacyState> byCode = existing.stream().collect(Collectors.toMap(PharmacyState::code, Function.identity()));
                    Plan plan = ImportPlanner.plan(checked.rows(), byCode, now);
                    List<Problem.FieldError> errors = new ArrayList<>(plan.errors());
                    // AGR-10: the home region cannot move onto a region where the pharmacy holds another agreement
                    for (Change c : plan.changes()) {
                        String region = c.after().agreement().regionCode();
                        if (others.getOrDefault(c.after().code(), java.util.Set.of()).contains(region)) {
                            errors.add(new Problem.FieldError("[" + c.index() + "].regionCode", c.after().code()
                                    + " already holds an agreement in region " + region + " besides its home region (AGR-10)"));
                        }
                    }
                    if (!errors.isEmpty()) {
                        throw invalid(errors);
                    }
                    return write(tx, plan, actor, now);
                })))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? ProblemException.conflict("another import created one of these pharmacies at the same time; send the import again",
                        "CONCURRENT_IMPORT")
                        : e)
                .invoke(result -> {
                    relay.nudge();
                    LOG.infof("pharmacy import by %s: %d rows, %d created, %d updated, %d unchanged", actor, result.imported(),
                            result.created(), result.updated(), result.unchanged());
                });
    }

    private Uni<ImportResult> write(SqlConnection tx, Plan plan, String actor, OffsetDateTime now) {
        List<Change> changed = plan.changes().stream().filter(c -> c.kind() != Kind.UNCHANGED).toList();
        int newAgreements = (int) changed.stream().filter(Change::newAgreement).count();
        return store.reserveAgreementIds(tx, newAgreements).flatMap(ids -> {
            Iterator<Long> nextId = ids.iterator();
            List<Pharmacy> inserts = new ArrayList<>();
            List<Pharmacy> updates = new ArrayList<>();
            List<Long> superseded = new ArrayList<>();
            List<Agreement> agreementInserts = new ArrayList<>();
            List<Agreement> agreementUpdates = new ArrayList<>();
            List<HistoryEntry> entries = new ArrayList<>();
            List<OutboxMessage> events = new ArrayList<>();
            for (Change c : changed) {
                Agreement a = c.after().agreement();
                if (c.newAgreement()) {
                    a = a.withId(nextId.next());
                    agreementInserts.add(a);
                    if (c.before() != null) {
                        superseded.add(c.before().agreement().id());
                    }
                } else if (c.agreementChanged()) {
                    agreementUpdates.add(a);
                }
                PharmacyState after = new PharmacyState(c.after().pharmacy(), a);
                (c.kind() == Kind.CREATED ? inserts : updates).add(after.pharmacy());
                if (c.agreementChanged()) {
                    // a new agreement row starts its own history (from = null); an in-place change continues it
                    entries.add(new HistoryEntry(0, after.code(), a.id(), Action.IMPORT,
                            c.newAgreement() ? null : c.before().agreement().status(), a.status(), a.settlementHold(),
                            c.note(), a.terminationGround(), null, actor, Source.IMPORT, now, after.version(), a.regionCode()));
                }
                events.add(StatusEvents.message(after, now, c.note()));
            }
            ImportResult result = new ImportResult(plan.changes().size(), plan.count(Kind.CREATED), plan.count(Kind.UPDATED),
                    plan.count(Kind.UNCHANGED));
            return store.insertPharmacies(tx, inserts, now)
                    .flatMap(x -> store.updatePharmacies(tx, updates, now))
                    .flatMap(x -> store.supersede(tx, superseded, now))
                    .flatMap(x -> store.insertAgreements(tx, agreementInserts, now))
                    .flatMap(x -> store.updateAgreements(tx, agreementUpdates, now))
                    .flatMap(x -> history.append(tx, entries))
                    .flatMap(x -> statusEvents.add(tx, events))
                    .replaceWith(result);
        });
    }

    private static ProblemException invalid(List<Problem.FieldError> errors) {
        long rows = errors.stream().map(e -> e.field().replaceAll("^(\\[\\d+]).*", "$1")).distinct().count();
        return ProblemException.badRequest(rows + " row(s) of the import are invalid; nothing was imported", errors);
    }
}
