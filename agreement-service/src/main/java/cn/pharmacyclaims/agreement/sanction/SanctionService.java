package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.calendar.Calendars;
import cn.pharmacyclaims.agreement.deadline.DeadlineKind;
import cn.pharmacyclaims.agreement.deadline.DeadlineStore;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.history.RecordHistory;
import cn.pharmacyclaims.agreement.history.Source;
import cn.pharmacyclaims.agreement.lifecycle.Action;
import cn.pharmacyclaims.agreement.lifecycle.Agreement;
import cn.pharmacyclaims.agreement.lifecycle.AgreementChanges;
import cn.pharmacyclaims.agreement.lifecycle.AgreementConfig;
import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import cn.pharmacyclaims.agreement.lifecycle.Transition;
import cn.pharmacyclaims.agreement.lifecycle.TransitionRefusedException;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.common.events.SanctionRequested;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.outbox.ProcessedMessages;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * AUD-21: applies the sanctions audit decides, through the same state machine, history and outbox as
 * staff actions (who = {@code audit:<decidedBy>}, why = the reason with the case id). INTERVIEW sets
 * a rectification deadline; SETTLEMENT_HOLD holds settlement until an officer lifts it (rectified);
 * SUSPENSION suspends (AGR-09 may turn it into a termination); TERMINATION terminates on the ground
 * read from the reason and keeps the police-referral flag. A sanction the pharmacy's state does not
 * allow (e.g. already terminated) is recorded as not applied, with the reason, and never retried.
 * Idempotent: the sanction id is recorded as processed in the same transaction.
 */
@ApplicationScoped
public class SanctionService {
    private static final Logger LOG = Logger.getLogger(SanctionService.class);
    public static final String CONSUMER = "agreement-sanctions";
    public static final String SUBJECT = "SANCTION";

    public enum Result { APPLIED, NOT_APPLIED, DUPLICATE }

    public record RectifiedRequest(String rectifiedOn, String reason) {
    }

    private record Decision(boolean applied, String outcome, Long deadlineId) {
    }

    private final Pool pool;
    private final ProcessedMessages processed;
    private final AgreementChanges changes;
    private final PharmacyStore pharmacies;
    private final SanctionStore store;
    private final Calendars calendars;
    private final DeadlineStore deadlines;
    private final RecordHistory records;
    private final OutboxRelay relay;
    private final AgreementConfig config;
    private final Clock clock;

    public SanctionService(Pool pool, ProcessedMessages processed, AgreementChanges changes, PharmacyStore pharmacies, SanctionStore store,
                           Calendars calendars, DeadlineStore deadlines, RecordHistory records, OutboxRelay relay, AgreementConfig config,
                           Clock clock) {
        this.pool = pool;
        this.processed = processed;
        this.changes = changes;
        this.pharmacies = pharmacies;
        this.store = store;
        this.calendars = calendars;
        this.deadlines = deadlines;
        this.records = records;
        this.relay = relay;
        this.config = config;
        this.clock = clock;
    }

    /** One sanction, one transaction. Lazy: every subscription runs the transaction again (retries). */
    public Uni<Result> apply(SanctionRequested e) {
        return pool.withTransaction(tx -> {
                    OffsetDateTime now = BeijingTime.now(clock);
                    return processed.firstTime(tx, CONSUMER, e.sanctionId())
                            .flatMap(first -> first ? decide(tx, e, now) : Uni.createFrom().item(Result.DUPLICATE));
                })
                .invoke(r -> {
                    if (r != Result.DUPLICATE) {
                        relay.nudge();
                    }
                    LOG.infof("sanction %s (%s) for %s: %s", e.sanctionId(), e.level(), e.pharmacyCode(), r);
                });
    }

    /**
     * Last resort for a sanction that failed for an unexpected reason: recorded as not applied with the
     * error, so that it is visible and not retried forever.
     */
    public Uni<Void> recordFailure(SanctionRequested e, Throwable failure) {
        return pool.withTransaction(tx -> {
            OffsetDateTime now = BeijingTime.now(clock);
            return processed.firstTime(tx, CONSUMER, e.sanctionId()).flatMap(first -> !first ? Uni.createFrom().voidItem()
                    : record(tx, e, code(e), new Decision(false, "not applied: failed with " + failure, null), null, cause(e), now));
        });
    }

    private Uni<Result> decide(SqlClient tx, SanctionRequested e, OffsetDateTime now) {
        String code = code(e);
        Cause cause = cause(e);
        if (e.level() == null || e.pharmacyCode() == null || e.pharmacyCode().isBlank()) {
            return record(tx, e, code, new Decision(false, "not applied: the sanction names no pharmacy or no level", null), null, cause, now)
                    .replaceWith(Result.NOT_APPLIED);
        }
        TerminationGround ground = e.level() == SanctionRequested.Level.TERMINATION ? SanctionGrounds.of(e.category(), e.reason()) : null;
        Uni<Decision> decision = switch (e.level()) {
            case INTERVIEW -> interview(tx, e, code, cause, now);
            case SETTLEMENT_HOLD -> change(tx, e, code, Action.SETTLEMENT_HOLD, cause, (a, n) -> changes.machine().hold(a, n));
            case SUSPENSION -> change(tx, e, code, Action.SUSPEND, cause, (a, n) -> changes.machine().suspend(a, false, n));
            case TERMINATION -> change(tx, e, code, Action.TERMINATE, cause, (a, n) -> changes.machine().terminate(a, ground, n));
        };
        return decision.flatMap(d -> record(tx, e, code, d, ground, cause, now).replaceWith(d.applied() ? Result.APPLIED : Result.NOT_APPLIED));
    }

    private Uni<Decision> change(SqlClient tx, SanctionRequested e, String code, Action action, Cause cause,
                                 BiFunction<Agreement, OffsetDateTime, Transition> decide) {
        return changes.apply(tx, code, AgreementChanges.Target.regionOrHome(e.regionCode()), action, config.sanctions().agencyLevel(),
                        cause, decide, decide)
                .map(outcome -> new Decision(true, outcome.applied().stream()
                        .map(t -> t.from() + " -> " + t.to() + " in region " + t.after().regionCode() + " (" + t.ruleId() + ")")
                        .collect(Collectors.joining("; ")), null))
                // refused before anything was written: the transaction goes on to record why
                .onFailure(TransitionRefusedException.class).recoverWithItem(f -> new Decision(false, "not applied: " + f.getMessage(), null))
                .onFailure(ProblemException.class).recoverWithItem(f -> new Decision(false, "not applied: " + f.getMessage(), null));
    }

    /** AUD-21 first rung: interview and a rectification deadline on the statutory calendar. */
    private Uni<Decision> interview(SqlClient tx, SanctionRequested e, String code, Cause cause, OffsetDateTime now) {
        return pharmacies.find(tx, code).flatMap(state -> {
            if (state == null) {
                return Uni.createFrom().item(new Decision(false, "not applied: no pharmacy " + code, null));
            }
            if (state.agreement().ended()) {
                return Uni.createFrom().item(new Decision(false, "not applied: the agreement is " + state.agreement().status()
                        + "; an interview and rectification deadline do not apply", null));
            }
            LocalDate decided = e.decidedAt() == null ? now.toLocalDate() : BeijingTime.inBeijing(e.decidedAt()).toLocalDate();
            return calendars.forDeadlines(tx)
                    .flatMap(cal -> deadlines.create(tx, cal, new DeadlineStore.NewDeadline(code, SUBJECT, e.sanctionId(),
                            DeadlineKind.RECTIFICATION, 1, decided), cause, now))
                    .map(d -> new Decision(true, "interview; rectification due " + d.dueDate() + (d.provisional() ? " (provisional)" : ""), d.id()));
        });
    }

    private Uni<Void> record(SqlClient tx, SanctionRequested e, String code, Decision d, TerminationGround ground, Cause cause,
                             OffsetDateTime now) {
        String level = e.level() == null ? "UNKNOWN" : e.level().name();
        String detail = level + ": " + d.outcome() + (ground != null ? "; ground " + ground : "")
                + (e.policeReferral() ? "; referred to the police (移送公安)" : "") + " | " + cause.reason();
        return store.insert(tx, e, code, d.applied(), d.outcome(), ground, d.deadlineId(), now)
                .flatMap(x -> records.append(tx, RecordEntry.of(code, SUBJECT, e.sanctionId(), d.applied() ? "APPLIED" : "NOT_APPLIED",
                        null, level, detail, "AUD-21", cause, now)));
    }

    /** The interview's rectification is done: its deadline is met (a hold is lifted with lift-hold, AGR-08). */
    public Uni<SanctionView> rectified(String code, String sanctionId, RectifiedRequest body, String actor) {
        LocalDate today = BeijingTime.today(clock);
        LocalDate on = today;
        if (body != null && body.rectifiedOn() != null && !body.rectifiedOn().isBlank()) {
            try {
                on = LocalDate.parse(body.rectifiedOn().strip());
            } catch (DateTimeParseException ex) {
                throw ProblemException.badRequest("invalid date", List.of(new FieldError("rectifiedOn", "'" + body.rectifiedOn()
                        + "' is not a date (yyyy-MM-dd)")));
            }
            if (on.isAfter(today)) {
                throw ProblemException.badRequest("invalid date", List.of(new FieldError("rectifiedOn", on + " is in the future")));
            }
        }
        LocalDate rectifiedOn = on;
        String reason = body == null || body.reason() == null || body.reason().isBlank() ? "rectified" : body.reason().strip();
        Cause cause = new Cause(actor, Source.STAFF, reason);
        OffsetDateTime now = BeijingTime.now(clock);
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT * FROM sanction WHERE sanction_id = $1 AND pharmacy_code = $2 FOR UPDATE")
                .execute(Tuple.of(sanctionId, code))
                .flatMap(rs -> {
                    if (rs.size() == 0) {
                        throw ProblemException.notFound("no sanction " + sanctionId + " of pharmacy " + code);
                    }
                    Row r = rs.iterator().next();
                    if (!"INTERVIEW".equals(r.getString("level")) || !r.getBoolean("applied")) {
                        throw ProblemException.conflict("sanction " + sanctionId + " is " + r.getString("level")
                                + (r.getBoolean("applied") ? "" : " (not applied)") + "; only an applied interview has a rectification deadline",
                                "NO_RECTIFICATION_DEADLINE");
                    }
                    if (r.getLocalDate("rectified_on") != null) {
                        throw ProblemException.conflict("sanction " + sanctionId + " was rectified on " + r.getLocalDate("rectified_on"),
                                "ALREADY_RECTIFIED");
                    }
                    LocalDate decided = r.getOffsetDateTime("decided_at") == null ? null
                            : BeijingTime.inBeijing(r.getOffsetDateTime("decided_at")).toLocalDate();
                    if (decided != null && rectifiedOn.isBefore(decided)) {
                        throw ProblemException.badRequest("dates in the wrong order",
                                List.of(new FieldError("rectifiedOn", "must not be before the decision on " + decided)));
                    }
                    return tx.preparedQuery("UPDATE sanction SET rectified_on = $2, rectified_by = $3 WHERE sanction_id = $1")
                            .execute(Tuple.of(sanctionId, rectifiedOn, actor))
                            .flatMap(x -> deadlines.meet(tx, SUBJECT, sanctionId, List.of(DeadlineKind.RECTIFICATION), rectifiedOn, cause, now))
                            .flatMap(x -> records.append(tx, RecordEntry.of(code, SUBJECT, sanctionId, "RECTIFIED", null, null,
                                    "rectified on " + rectifiedOn + ": " + reason, "AUD-21", cause, now)))
                            .flatMap(x -> store.find(tx, sanctionId));
                }));
    }

    public Uni<List<SanctionView>> list(String code) {
        return store.ofPharmacy(pool, code);
    }

    private static String code(SanctionRequested e) {
        return e.pharmacyCode() == null ? "" : e.pharmacyCode().strip();
    }

    private static Cause cause(SanctionRequested e) {
        String who = e.decidedBy() == null || e.decidedBy().isBlank() ? "unknown" : e.decidedBy().strip();
        String reason = e.reason() == null || e.reason().isBlank() ? "AUD-21 " + e.level() : e.reason().strip();
        return new Cause("audit:" + who, Source.SANCTION, reason + " (case " + e.caseId() + ", sanction " + e.sanctionId() + ")");
    }
}
