package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.application.ApplicationService;
import cn.pharmacyclaims.agreement.deadline.DeadlineKind;
import cn.pharmacyclaims.agreement.deadline.DeadlineRules;
import cn.pharmacyclaims.agreement.deadline.DeadlineStatus;
import cn.pharmacyclaims.agreement.deadline.DeadlineStore;
import cn.pharmacyclaims.agreement.deadline.TrackedDeadline;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.history.RecordHistory;
import cn.pharmacyclaims.agreement.keychange.KeyChangeService;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Time-driven transitions and watches, in this order each run: AGR-07 (a pharmacy-requested
 * suspension not resumed within 180 days ends the agreement); AGR-05 (signed renewals start their
 * new term; the others end at expiry: EXPIRED; also AGR-07, a suspension that outlasts the term);
 * overdue deadlines (AGR-02 notices, AGR-03 evaluations, AGR-06 filings, which record a termination
 * ground for an officer, AUD-21 rectifications); deadline reminders; AGR-05 renewal windows opening.
 *
 * <p>Safe with several instances: each batch claims its rows with {@code FOR UPDATE SKIP LOCKED}
 * and applies them in the same transaction, so a row is handled by exactly one instance and a crash
 * leaves it for the next run. It catches up after downtime: every claim selects everything due up to
 * now, not what became due since the last run.
 */
@ApplicationScoped
public class AgreementScheduler {
    private static final Logger LOG = Logger.getLogger(AgreementScheduler.class);
    static final String JOB = "agreement-scheduler";

    /** What one run changed. */
    public record Run(int requestedSuspensionsEnded, int expired, int renewed, int renewalsLapsed, int overdueDeadlines, int reminders,
                      int renewalWindowsOpened) {
        int total() {
            return requestedSuspensionsEnded + expired + renewed + renewalsLapsed + overdueDeadlines + reminders + renewalWindowsOpened;
        }
    }

    private final Pool pool;
    private final PharmacyStore store;
    private final AgreementWriter writer;
    private final AgreementStateMachine machine;
    private final ApplicationService applications;
    private final DeadlineStore deadlines;
    private final RecordHistory records;
    private final OutboxRelay relay;
    private final Clock clock;
    private final int batchSize;
    private final DeadlineRules.Settings settings;

    public AgreementScheduler(Pool pool, PharmacyStore store, AgreementWriter writer, AgreementStateMachine machine,
                              ApplicationService applications, DeadlineStore deadlines, RecordHistory records, OutboxRelay relay,
                              Clock clock, AgreementConfig config) {
        this.pool = pool;
        this.store = store;
        this.writer = writer;
        this.machine = machine;
        this.applications = applications;
        this.deadlines = deadlines;
        this.records = records;
        this.relay = relay;
        this.clock = clock;
        this.batchSize = config.scheduler().batchSize();
        this.settings = config.deadlineSettings();
    }

    @Scheduled(identity = JOB, every = "${pc.agreement.scheduler.every:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return runOnce().onFailure().invoke(e -> LOG.warnf("agreement scheduler run failed, retried next run: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * One full run at the clock's current time. The requested-suspension limit runs first: when both
     * are due in the same run, the earlier-running rule (the pharmacy's own 180 days) decides. Renewals
     * run before expiry, so a renewed term never expires.
     */
    public Uni<Run> runOnce() {
        OffsetDateTime now = BeijingTime.now(clock);
        LocalDate today = now.toLocalDate();
        int[] renewals = new int[2];
        int[] counts = new int[5];
        return drain((tx, n) -> claimRequestedSuspensions(tx, now, n), s -> machine.endRequestedSuspension(s.agreement(), now), now)
                .invoke(n -> counts[0] = n)
                .flatMap(x -> repeat(() -> applications.startDueRenewals(batchSize, JOB).map(r -> {
                    renewals[0] += r.started();
                    renewals[1] += r.lapsed();
                    return r.started() + r.lapsed();
                })))
                .flatMap(x -> drain((tx, n) -> store.claimTermEnded(tx, today, n), s -> machine.expire(s.agreement(), now), now))
                .invoke(n -> counts[1] = n)
                .flatMap(x -> repeat(() -> overdue(today, now))).invoke(n -> counts[2] = n)
                .flatMap(x -> repeat(() -> reminders(today, now))).invoke(n -> counts[3] = n)
                .flatMap(x -> repeat(() -> renewalWindows(today, now))).invoke(n -> counts[4] = n)
                .map(x -> new Run(counts[0], counts[1], renewals[0], renewals[1], counts[2], counts[3], counts[4]))
                .invoke(run -> {
                    if (run.total() > 0) {
                        LOG.infof("agreement scheduler: %s", run);
                    }
                });
    }

    private Uni<List<PharmacyState>> claimRequestedSuspensions(SqlConnection tx, OffsetDateTime now, int limit) {
        OffsetDateTime startedBy = now.minusDays(machine.rules().requestedSuspensionMaxDays());
        return store.claimRequestedSuspensionsSince(tx, startedBy, limit);
    }

    /** Flags overdue deadlines; an overdue AGR-06 filing records a termination ground (an officer terminates, not this job). */
    private Uni<Integer> overdue(LocalDate today, OffsetDateTime now) {
        Cause cause = Cause.system(JOB, "deadline passed");
        return pool.withTransaction(tx -> deadlines.claimOverdue(tx, today, batchSize, now).flatMap(due -> {
            List<RecordEntry> entries = new ArrayList<>();
            for (TrackedDeadline d : due) {
                entries.add(DeadlineStore.record(d, "OVERDUE", DeadlineStatus.OPEN, DeadlineStatus.OVERDUE,
                        d.ruleId() + " " + d.kind().label() + " due " + d.dueDate() + " was not met", cause, now));
                if (d.kind() == DeadlineKind.FILING) {
                    entries.add(RecordEntry.of(d.pharmacyCode(), KeyChangeService.SUBJECT, d.subjectId(), "TERMINATION_GROUND", null, "OVERDUE",
                            "AGR-06: key change not filed by " + d.dueDate() + ": a ground for termination (AGR-09 "
                                    + TerminationGround.UNFILED_KEY_CHANGE + "); an officer decides", "AGR-06", cause, now));
                }
            }
            return records.append(tx, entries).replaceWith(due.size());
        }));
    }

    private Uni<Integer> reminders(LocalDate today, OffsetDateTime now) {
        Cause cause = Cause.system(JOB, "deadline reminder");
        return pool.withTransaction(tx -> deadlines.claimReminders(tx, today, batchSize, now).flatMap(due -> records.append(tx,
                        due.stream().map(d -> DeadlineStore.record(d, "REMINDER", null, null, "reminder: " + d.describe() + ", "
                                + d.kind().label() + " not done yet", cause, now)).toList())
                .replaceWith(due.size())));
    }

    private Uni<Integer> renewalWindows(LocalDate today, OffsetDateTime now) {
        Cause cause = Cause.system(JOB, "renewal window");
        return pool.withTransaction(tx -> store.claimRenewalWindows(tx, today, settings.renewalWindowMonths(), batchSize, now)
                .flatMap(opened -> records.append(tx, opened.stream().map(w -> RecordEntry.of(w.pharmacyCode(), "AGREEMENT", w.agreementId(),
                                "RENEWAL_WINDOW_OPEN", null, null, "AGR-05: the agreement in region " + w.regionCode() + " ends on " + w.validTo()
                                        + "; renewal applications are accepted from " + DeadlineRules.renewalWindowOpens(w.validTo(), settings)
                                        + "; without renewal it ends at expiry", "AGR-05", cause, now)).toList())
                        .replaceWith(opened.size())));
    }

    /** Repeats a batch until it comes back short; answers the total. */
    private Uni<Integer> repeat(Supplier<Uni<Integer>> batch) {
        return Multi.createBy().repeating()
                .uni(batch::get)
                .whilst(n -> n == batchSize)
                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }

    /** Batches until a claim comes back short; each batch is one transaction. */
    private Uni<Integer> drain(BiFunction<SqlConnection, Integer, Uni<List<PharmacyState>>> claim,
                               java.util.function.Function<PharmacyState, Transition> decide, OffsetDateTime now) {
        return repeat(() -> batch(claim, decide, now));
    }

    private Uni<Integer> batch(BiFunction<SqlConnection, Integer, Uni<List<PharmacyState>>> claim,
                               java.util.function.Function<PharmacyState, Transition> decide, OffsetDateTime now) {
        return pool.withTransaction(tx -> claim.apply(tx, batchSize).flatMap(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndConcatenate(state -> {
                            Transition t = decide.apply(state);
                            return writer.apply(tx, state, t, Cause.system(JOB, t.note()), now);
                        })
                        .collect().asList()
                        .map(List::size)))
                .invoke(n -> {
                    if (n > 0) {
                        relay.nudge();
                    }
                });
    }
}
