package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.Cause;
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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Time-driven transitions: AGR-07 (a pharmacy-requested suspension not resumed within 180 days
 * ends the agreement) and AGR-05 (the term ended without renewal: EXPIRED; also AGR-07, a
 * suspension that outlasts the term). Safe with several instances: each batch claims its rows with
 * {@code FOR UPDATE SKIP LOCKED} and applies them in the same transaction, so a row is handled by
 * exactly one instance and a crash leaves it for the next run.
 */
@ApplicationScoped
public class AgreementScheduler {
    private static final Logger LOG = Logger.getLogger(AgreementScheduler.class);
    static final String JOB = "agreement-scheduler";

    /** What one run changed. */
    public record Run(int requestedSuspensionsEnded, int expired) {
    }

    private final Pool pool;
    private final PharmacyStore store;
    private final AgreementWriter writer;
    private final AgreementStateMachine machine;
    private final OutboxRelay relay;
    private final Clock clock;
    private final int batchSize;

    public AgreementScheduler(Pool pool, PharmacyStore store, AgreementWriter writer, AgreementStateMachine machine,
                              OutboxRelay relay, Clock clock, AgreementConfig config) {
        this.pool = pool;
        this.store = store;
        this.writer = writer;
        this.machine = machine;
        this.relay = relay;
        this.clock = clock;
        this.batchSize = config.scheduler().batchSize();
    }

    @Scheduled(identity = JOB, every = "${pc.agreement.scheduler.every:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return runOnce().onFailure().invoke(e -> LOG.warnf("agreement scheduler run failed, retried next run: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * One full run at the clock's current time. The requested-suspension limit runs first: when both
     * are due in the same run, the earlier-running rule (the pharmacy's own 180 days) decides.
     */
    public Uni<Run> runOnce() {
        OffsetDateTime now = BeijingTime.now(clock);
        return drain((tx, n) -> claimRequestedSuspensions(tx, now, n), s -> machine.endRequestedSuspension(s.agreement(), now), now)
                .flatMap(ended -> drain((tx, n) -> store.claimTermEnded(tx, now.toLocalDate(), n),
                        s -> machine.expire(s.agreement(), now), now)
                        .map(expired -> new Run(ended, expired)))
                .invoke(run -> {
                    if (run.requestedSuspensionsEnded() + run.expired() > 0) {
                        LOG.infof("agreement scheduler: %d requested suspensions ended (AGR-07), %d agreements expired (AGR-05)",
                                run.requestedSuspensionsEnded(), run.expired());
                    }
                });
    }

    private Uni<List<PharmacyState>> claimRequestedSuspensions(SqlConnection tx, OffsetDateTime now, int limit) {
        OffsetDateTime startedBy = now.minusDays(machine.rules().requestedSuspensionMaxDays());
        return store.claimRequestedSuspensionsSince(tx, startedBy, limit);
    }

    /** Batches until a claim comes back short; each batch is one transaction. */
    private Uni<Integer> drain(BiFunction<SqlConnection, Integer, Uni<List<PharmacyState>>> claim,
                               java.util.function.Function<PharmacyState, Transition> decide, OffsetDateTime now) {
        return Multi.createBy().repeating()
                .uni(() -> batch(claim, decide, now))
                .whilst(n -> n == batchSize)
                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
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
