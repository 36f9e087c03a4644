package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.application.ApplicationRequests.ApplicationRequest;
import cn.pharmacyclaims.agreement.application.ApplicationRequests.Checked;
import cn.pharmacyclaims.agreement.application.ApplicationRequests.StepRequest;
import cn.pharmacyclaims.agreement.ban.Ban;
import cn.pharmacyclaims.agreement.ban.BanService;
import cn.pharmacyclaims.agreement.ban.BanStore;
import cn.pharmacyclaims.agreement.ban.Person;
import cn.pharmacyclaims.agreement.calendar.Calendars;
import cn.pharmacyclaims.agreement.deadline.DeadlineKind;
import cn.pharmacyclaims.agreement.deadline.DeadlineRules;
import cn.pharmacyclaims.agreement.deadline.DeadlineStore;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.history.RecordHistory;
import cn.pharmacyclaims.agreement.history.Source;
import cn.pharmacyclaims.agreement.lifecycle.Action;
import cn.pharmacyclaims.agreement.lifecycle.Agreement;
import cn.pharmacyclaims.agreement.lifecycle.AgreementConfig;
import cn.pharmacyclaims.agreement.lifecycle.AgreementStateMachine;
import cn.pharmacyclaims.agreement.lifecycle.AgreementWriter;
import cn.pharmacyclaims.agreement.lifecycle.IllegalTransitionException;
import cn.pharmacyclaims.agreement.lifecycle.Transition;
import cn.pharmacyclaims.agreement.lifecycle.TransitionRefusedException;
import cn.pharmacyclaims.agreement.pharmacy.Pharmacy;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Multi;
import cn.pharmacyclaims.platform.db.Snapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applications for designation and renewal (AGR-01 .. AGR-05). Acceptance checks the preconditions
 * (422 naming each unmet one), the bans and the dishonest list (409 naming the barred subject), and
 * starts the AGR-02 notice and AGR-03 evaluation deadlines; each step runs in one transaction: lock
 * the application, ask the {@link ApplicationStateMachine}, write it, its deadlines and its history;
 * signing creates the agreement (and the pharmacy) through the {@link AgreementWriter}, so it is
 * published like any other agreement change (AGR-11).
 */
@ApplicationScoped
public class ApplicationService {
    private static final Logger LOG = Logger.getLogger(ApplicationService.class);
    public static final String SUBJECT = "APPLICATION";

    /** What one scheduler batch of renewals did. */
    public record RenewalRun(int started, int lapsed) {
    }

    private final Pool pool;
    private final ApplicationStore store;
    private final ApplicationStateMachine machine;
    private final AgreementStateMachine agreements;
    private final AgreementWriter writer;
    private final PharmacyStore pharmacies;
    private final BanStore bans;
    private final BanService banService;
    private final Calendars calendars;
    private final DeadlineStore deadlines;
    private final RecordHistory records;
    private final OutboxRelay relay;
    private final AgreementConfig config;
    private final Clock clock;

    public ApplicationService(Pool pool, ApplicationStore store, ApplicationStateMachine machine, AgreementStateMachine agreements,
                              AgreementWriter writer, PharmacyStore pharmacies, BanStore bans, BanService banService, Calendars calendars,
                              DeadlineStore deadlines, RecordHistory records, OutboxRelay relay, AgreementConfig config, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.machine = machine;
        this.agreements = agreements;
        this.writer = writer;
        this.pharmacies = pharmacies;
        this.bans = bans;
        this.banService = banService;
        this.calendars = calendars;
        this.deadlines = deadlines;
        this.records = records;
        this.relay = relay;
        this.config = config;
        this.clock = clock;
    }

    /** AGR-01: accept an application (the agency accepts on receipt) or refuse it, changing nothing. */
    public Uni<ApplicationView> submit(ApplicationRequest body, String actor) {
        LocalDate today = BeijingTime.today(clock);
        Checked c = ApplicationRequests.check(body, today);
        List<FieldError> unmet = machine.unmetPreconditions(c.preconditions());
        if (!unmet.isEmpty()) {
            throw new ProblemException(new Problem("about:blank", "Unprocessable application", 422,
                    "AGR-01: " + unmet.size() + " precondition(s) not met; the application is not accepted", null, "PRECONDITIONS_NOT_MET",
                    unmet));
        }
        OffsetDateTime now = BeijingTime.now(clock);
        Cause cause = new Cause(actor, Source.STAFF, "AGR-01: " + c.kind() + " application received on " + c.receivedOn());
        return pool.withTransaction(tx -> pharmacies.lockAgreements(tx, c.pharmacyCode()).flatMap(states -> {
                    String region = c.regionCode() != null ? c.regionCode()
                            : states.isEmpty() ? c.pharmacyCode().substring(1, 7) : states.get(0).pharmacy().regionCode();
                    checkAgainstAgreements(c, states, region, today);
                    Application draft = new Application(0, c.kind(), c.pharmacyCode(), region, c.agreementType(),
                            states.isEmpty() ? c.details() : null, c.legalRepresentative(), c.actualController(), c.preconditions(),
                            ApplicationStatus.UNDER_EVALUATION, c.receivedOn(), 1, c.receivedOn(), null, null, null, null, 0, null, null, null,
                            null, null, null, 1);
                    return store.open(tx, c.pharmacyCode(), region)
                            .flatMap(open -> {
                                if (open != null) {
                                    throw openAlready(open);
                                }
                                return barred(tx, draft, today);
                            })
                            .flatMap(x -> store.insert(tx, draft, now))
                            .call(a -> calendars.forDeadlines(tx)
                                    .call(cal -> deadlines.create(tx, cal, new DeadlineStore.NewDeadline(a.pharmacyCode(), SUBJECT,
                                            Long.toString(a.id()), DeadlineKind.INCOMPLETE_NOTICE, 1, a.receivedOn()), cause, now))
                                    .call(cal -> deadlines.create(tx, cal, new DeadlineStore.NewDeadline(a.pharmacyCode(), SUBJECT,
                                            Long.toString(a.id()), DeadlineKind.EVALUATION, 1, a.receivedOn()), cause, now)))
                            .call(a -> records.append(tx, RecordEntry.of(a.pharmacyCode(), SUBJECT, a.id(), "ACCEPT", null, a.status().name(),
                                    c.kind() + " application for region " + region + " received on " + a.receivedOn() + " and accepted"
                                            + (a.legalRepresentative() == null ? "" : "; legal representative " + a.legalRepresentative().masked()),
                                    "AGR-01", cause, now)))
                            .flatMap(a -> view(tx, a.id()));
                }))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? ProblemException.conflict("another application of " + c.pharmacyCode() + " was accepted at the same time", "APPLICATION_OPEN")
                        : e)
                .invoke(v -> LOG.infof("application %d (%s) of %s accepted by %s", v.id(), v.kind(), v.pharmacyCode(), actor));
    }

    private void checkAgainstAgreements(Checked c, List<PharmacyState> states, String region, LocalDate today) {
        PharmacyState inRegion = inRegion(states, region);
        if (c.kind() == ApplicationKind.NEW) {
            if (states.isEmpty() && c.details() == null) {
                throw ProblemException.badRequest("unknown pharmacy " + c.pharmacyCode(), List.of(new FieldError("pharmacy",
                        "is required for a pharmacy that is not known yet: name, address, lat, lon, businessHours")));
            }
            if (inRegion != null && !inRegion.agreement().ended()) {
                throw ProblemException.conflict(c.pharmacyCode() + " already holds a " + inRegion.agreement().status()
                        + " agreement in region " + region + " until " + inRegion.agreement().validTo() + "; apply for RENEWAL", "ALREADY_DESIGNATED");
            }
            return;
        }
        if (states.isEmpty()) {
            throw ProblemException.notFound("no pharmacy " + c.pharmacyCode() + "; a renewal needs an agreement");
        }
        if (inRegion == null) {
            throw ProblemException.conflict(c.pharmacyCode() + " holds no agreement in region " + region + " to renew", "NO_AGREEMENT_TO_RENEW");
        }
        Agreement a = inRegion.agreement();
        if (a.ended()) {
            throw ProblemException.conflict("the agreement in region " + region + " is " + a.status() + "; apply as NEW (AGR-05)",
                    "AGREEMENT_ENDED");
        }
        LocalDate opens = DeadlineRules.renewalWindowOpens(a.validTo(), deadlines.settings());
        if (today.isBefore(opens)) {
            throw ProblemException.conflict("AGR-05: renewal applications for the term ending " + a.validTo() + " are accepted from "
                    + opens, "RENEWAL_WINDOW_NOT_OPEN");
        }
    }

    /** AGR-01 / AGR-12: refuses (409, naming each barred subject, masked) a banned or dishonest applicant. */
    private Uni<Void> barred(SqlClient tx, Application a, LocalDate today) {
        List<String> keys = a.subjectKeys();
        Map<String, String> fieldOf = new java.util.HashMap<>();
        fieldOf.put(Person.maskKey(Person.pharmacyKey(a.pharmacyCode())), "pharmacyCode");
        if (a.legalRepresentative() != null) {
            fieldOf.put(Person.maskKey(a.legalRepresentative().subjectKey()), "legalRepresentative.idNumber");
        }
        if (a.actualController() != null) {
            fieldOf.putIfAbsent(Person.maskKey(a.actualController().subjectKey()), "actualController.idNumber");
        }
        return bans.activeFor(tx, keys, today).flatMap(active -> bans.listedAmong(tx, keys, today).invoke(listed -> {
            List<FieldError> errors = new ArrayList<>();
            for (Ban b : active) {
                errors.add(new FieldError(fieldOf.getOrDefault(b.subject(), "applicant"), b.subject() + " is banned from applying until "
                        + b.untilDate() + " (" + b.ruleId() + ": " + b.reason() + ")"));
            }
            for (BanStore.Listing l : listed) {
                errors.add(new FieldError(fieldOf.getOrDefault(l.subject(), "applicant"), l.subject() + " is listed as a dishonest party since "
                        + l.listedOn() + (l.untilDate() == null ? "" : " until " + l.untilDate()) + " (" + l.source() + ", AGR-01)"));
            }
            if (!errors.isEmpty()) {
                throw new ProblemException(new Problem("about:blank", "Conflict", 409, "AGR-01: the application cannot be accepted while "
                        + "the pharmacy, its legal representative or actual controller is banned (AGR-12) or listed as dishonest", null,
                        "APPLICANT_BARRED", errors));
            }
        })).replaceWithVoid();
    }

    public Uni<ApplicationView> step(long id, ApplicationAction action, StepRequest body, String actor) {
        LocalDate today = BeijingTime.today(clock);
        OffsetDateTime now = BeijingTime.now(clock);
        return pool.withTransaction(tx -> store.lock(tx, id).flatMap(a -> {
                    if (a == null) {
                        throw ProblemException.notFound("no application " + id);
                    }
                    return switch (action) {
                        case CONFIRM_COMPLETE -> {
                            LocalDate on = ApplicationRequests.stepDate(body == null ? null : body.confirmedOn(), "confirmedOn", today);
                            Cause cause = cause(actor, body, "AGR-02: materials complete");
                            ApplicationTransition t = machine.confirmComplete(a, on);
                            yield save(tx, t, cause, now).call(x -> deadlines.meet(tx, SUBJECT, key(a), List.of(DeadlineKind.INCOMPLETE_NOTICE),
                                    on, cause, now));
                        }
                        case NOTICE_INCOMPLETE -> {
                            LocalDate on = ApplicationRequests.stepDate(body == null ? null : body.issuedOn(), "issuedOn", today);
                            Cause cause = cause(actor, body, "AGR-02: notice of incomplete materials");
                            ApplicationTransition t = machine.noticeIncomplete(a, on, body == null ? null : body.missingItems());
                            yield save(tx, t, cause, now)
                                    .call(x -> deadlines.meet(tx, SUBJECT, key(a), List.of(DeadlineKind.INCOMPLETE_NOTICE), on, cause, now))
                                    .call(x -> deadlines.pause(tx, SUBJECT, key(a), DeadlineKind.EVALUATION, on, cause, now));
                        }
                        case SUPPLEMENT_RECEIVED -> {
                            LocalDate on = ApplicationRequests.stepDate(body == null ? null : body.receivedOn(), "receivedOn", today);
                            Cause cause = cause(actor, body, "AGR-02: supplemented materials received");
                            ApplicationTransition t = machine.supplementReceived(a, on);
                            yield save(tx, t, cause, now).call(x -> calendars.forDeadlines(tx)
                                    .call(cal -> deadlines.resume(tx, cal, SUBJECT, key(a), DeadlineKind.EVALUATION, on, cause, now)));
                        }
                        case EVALUATE -> evaluate(tx, a, body, actor, today, now);
                        case RE_EVALUATE -> {
                            Cause cause = cause(actor, body, "AGR-03: re-evaluation");
                            ApplicationTransition t = machine.reEvaluate(a, today);
                            yield save(tx, t, cause, now).call(x -> calendars.forDeadlines(tx).call(cal -> deadlines.create(tx, cal,
                                    new DeadlineStore.NewDeadline(a.pharmacyCode(), SUBJECT, key(a), DeadlineKind.EVALUATION, 2, today), cause, now)));
                        }
                        case SIGN -> sign(tx, a, cause(actor, body, "AGR-04: agreement signed"), today, now);
                        case DECLINE -> {
                            Cause cause = new Cause(actor, Source.STAFF, ApplicationRequests.reason(body, true, null));
                            yield save(tx, machine.decline(a), cause, now).call(x -> deadlines.cancel(tx, SUBJECT, key(a), cause, now));
                        }
                        case WITHDRAW -> {
                            Cause cause = new Cause(actor, Source.STAFF, ApplicationRequests.reason(body, true, null));
                            yield save(tx, machine.withdraw(a), cause, now).call(x -> deadlines.cancel(tx, SUBJECT, key(a), cause, now));
                        }
                        default -> throw new IllegalArgumentException("not a staff step: " + action);
                    };
                }).flatMap(x -> view(tx, id)))
                .invoke(v -> {
                    relay.nudge();
                    LOG.infof("application %d %s by %s: now %s", id, action.label(), actor, v.status());
                });
    }

    /** AGR-03: the result; a second FAIL bans the pharmacy for a year (AGR-12). */
    private Uni<Application> evaluate(SqlClient tx, Application a, StepRequest body, String actor, LocalDate today, OffsetDateTime now) {
        String result = body == null ? null : body.result();
        if (!"PASS".equals(result) && !"FAIL".equals(result)) {
            throw ProblemException.badRequest("an evaluation needs its result", List.of(new FieldError("result", "must be PASS or FAIL")));
        }
        LocalDate delivered = ApplicationRequests.stepDate(body.deliveredOn(), "deliveredOn", today);
        Cause cause = new Cause(actor, Source.STAFF, "AGR-03: evaluation " + result + ": " + (body.reasons() == null ? "" : body.reasons().strip()));
        ApplicationTransition t = machine.evaluate(a, "PASS".equals(result), body.reasons(), delivered);
        Uni<Application> saved = save(tx, t, cause, now).call(x -> deadlines.meet(tx, SUBJECT, key(a),
                List.of(DeadlineKind.INCOMPLETE_NOTICE, DeadlineKind.EVALUATION), delivered, cause, now));
        if (t.to() == ApplicationStatus.REJECTED) {
            return saved.call(x -> banService.onSecondFailedEvaluation(tx, a.pharmacyCode(), a.id(), delivered, cause, now));
        }
        return saved;
    }

    /** AGR-04 / AGR-05: sign; a new designation's agreement starts today, a renewal's when the current term ends. */
    private Uni<Application> sign(SqlClient tx, Application a, Cause cause, LocalDate today, OffsetDateTime now) {
        machine.sign(a, today, today, null); // refuses (409) before anything is locked if the application has not passed
        Cause agreementCause = new Cause(cause.actor(), Source.APPLICATION, cause.reason() + " (application " + a.id() + ")");
        return pharmacies.lockAgreements(tx, a.pharmacyCode()).flatMap(states -> {
            PharmacyState inRegion = inRegion(states, a.regionCode());
            int months = config.termMonths();
            if (a.kind() == ApplicationKind.NEW) {
                LocalDate from = today;
                LocalDate to = from.plusMonths(months).minusDays(1);
                Pharmacy p = states.isEmpty() ? newPharmacy(a) : states.get(0).pharmacy();
                Transition t = decide(a.pharmacyCode(), () -> agreements.designate(inRegion == null ? null : inRegion.agreement(),
                        a.pharmacyCode(), a.regionCode(), a.agreementType(), from, to, Action.SIGN, true, now));
                return writer.apply(tx, new PharmacyState(p, t.before()), t, agreementCause, now)
                        .flatMap(after -> save(tx, machine.sign(a, from, to, after.agreement().id()), cause, now));
            }
            if (inRegion == null) {
                throw ProblemException.conflict(a.pharmacyCode() + " holds no agreement in region " + a.regionCode() + " to renew",
                        "NO_AGREEMENT_TO_RENEW");
            }
            Agreement current = inRegion.agreement();
            if (current.status() == PharmacyStatus.EXPIRED) {
                // AGR-05: it expired while the renewal was evaluated; the new term starts now
                LocalDate to = today.plusMonths(months).minusDays(1);
                Transition t = decide(a.pharmacyCode(), () -> agreements.renew(current, today, to, now));
                return writer.apply(tx, inRegion, t, agreementCause, now)
                        .flatMap(after -> save(tx, machine.sign(a, today, to, after.agreement().id()), cause, now));
            }
            if (current.status() == PharmacyStatus.TERMINATED) {
                throw new TransitionRefusedException(a.pharmacyCode(), new IllegalTransitionException(current.status(), Action.RENEW,
                        "a terminated agreement is final (AGR-09)"));
            }
            LocalDate from = current.validTo().plusDays(1);
            return save(tx, machine.sign(a, from, from.plusMonths(months).minusDays(1), null), cause, now);
        });
    }

    /**
     * AGR-05, for the scheduler: starts the terms of signed renewals due by {@code today}, in one
     * transaction per batch. A renewal whose agreement is not running at the end of its term (suspended:
     * AGR-07, or ended) lapses; the agreement then ends at expiry.
     */
    public Uni<RenewalRun> startDueRenewals(int batchSize, String job) {
        LocalDate today = BeijingTime.today(clock);
        OffsetDateTime now = BeijingTime.now(clock);
        Cause cause = Cause.system(job, "AGR-05: signed renewal due");
        return pool.withTransaction(tx -> store.claimDueRenewals(tx, today, batchSize).flatMap(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(a -> pharmacies.lockAgreements(tx, a.pharmacyCode()).flatMap(states -> {
                            PharmacyState inRegion = inRegion(states, a.regionCode());
                            Agreement current = inRegion == null ? null : inRegion.agreement();
                            if (current == null || (current.status() != PharmacyStatus.ACTIVE && current.status() != PharmacyStatus.SETTLEMENT_HOLD)) {
                                String why = current == null ? "no agreement in region " + a.regionCode()
                                        : "the agreement is " + current.status() + " at the end of its term"
                                        + (current.status() == PharmacyStatus.SUSPENDED ? " (AGR-07: a suspension that outlasts the term ends it)" : "");
                                return save(tx, machine.lapse(a, "AGR-05: renewal lapsed: " + why), cause, now).replaceWith(false);
                            }
                            Transition t;
                            try {
                                t = agreements.renew(current, a.termFrom(), a.termTo(), now);
                            } catch (IllegalTransitionException | IllegalArgumentException e) {
                                return save(tx, machine.lapse(a, "AGR-05: renewal lapsed: " + e.getMessage()), cause, now).replaceWith(false);
                            }
                            return writer.apply(tx, inRegion, t, new Cause(cause.actor(), Source.APPLICATION,
                                            "AGR-05: renewal signed in application " + a.id()), now)
                                    .flatMap(after -> save(tx, machine.startTerm(a, after.agreement().id()), cause, now))
                                    .replaceWith(true);
                        }))
                        .collect().asList()
                        .map(list -> new RenewalRun((int) list.stream().filter(b -> b).count(), (int) list.stream().filter(b -> !b).count()))))
                .invoke(r -> {
                    if (r.started() + r.lapsed() > 0) {
                        relay.nudge();
                    }
                });
    }

    public Uni<ApplicationView> get(long id) {
        return Snapshot.read(pool, db -> view(db, id)); // application, deadlines and records agree
    }

    public Uni<List<ApplicationView.Summary>> list(String pharmacyCode) {
        return store.ofPharmacy(pool, pharmacyCode).map(l -> l.stream().map(ApplicationView.Summary::of).toList());
    }

    private Uni<ApplicationView> view(SqlClient db, long id) {
        return store.find(db, id).flatMap(a -> {
            if (a == null) {
                throw ProblemException.notFound("no application " + id);
            }
            return deadlines.ofSubject(db, SUBJECT, key(a)).flatMap(d -> records.ofSubject(db, SUBJECT, key(a))
                    .map(h -> ApplicationView.of(a, d, h, deadlines.settings())));
        });
    }

    private Uni<Application> save(SqlClient tx, ApplicationTransition t, Cause cause, OffsetDateTime now) {
        Application a = t.after();
        String detail = t.note() == null ? cause.reason() : cause.reason() + " | " + t.note();
        return store.update(tx, a, now)
                .flatMap(x -> records.append(tx, RecordEntry.of(a.pharmacyCode(), SUBJECT, a.id(), t.action().name(),
                        t.from() == null ? null : t.from().name(), t.to().name(), detail, t.ruleId(), cause, now)))
                .replaceWith(a);
    }

    private static Transition decide(String code, java.util.function.Supplier<Transition> decision) {
        try {
            return decision.get();
        } catch (IllegalTransitionException e) {
            throw new TransitionRefusedException(code, e);
        }
    }

    private static Pharmacy newPharmacy(Application a) {
        PharmacyDetails d = a.details();
        if (d == null) {
            throw ProblemException.conflict("application " + a.id() + " has no pharmacy details and " + a.pharmacyCode() + " is unknown",
                    "UNKNOWN_PHARMACY");
        }
        return new Pharmacy(a.pharmacyCode(), d.name(), a.regionCode(), d.address(), d.lat(), d.lon(), d.businessHours(), 0);
    }

    private static PharmacyState inRegion(List<PharmacyState> states, String region) {
        return states.stream().filter(s -> s.agreement().regionCode().equals(region)).findFirst().orElse(null);
    }

    private static ProblemException openAlready(Application open) {
        return ProblemException.conflict("application " + open.id() + " of " + open.pharmacyCode() + " in region " + open.regionCode()
                + " is still " + open.status() + "; one open application per pharmacy and region", "APPLICATION_OPEN");
    }

    private static Cause cause(String actor, StepRequest body, String otherwise) {
        return new Cause(actor, Source.STAFF, ApplicationRequests.reason(body, false, otherwise));
    }

    private static String key(Application a) {
        return Long.toString(a.id());
    }
}
