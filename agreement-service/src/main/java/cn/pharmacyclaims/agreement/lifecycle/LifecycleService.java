package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.HistoryEntry;
import cn.pharmacyclaims.agreement.history.StatusHistory;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Staff actions on an agreement (AGR-07, AGR-08, AGR-09). Each one, in a single transaction: lock
 * the pharmacy, ask the {@link AgreementStateMachine}, write state + history + outbox event; then
 * nudge the relay. A refused action changes nothing.
 */
@ApplicationScoped
public class LifecycleService {
    private static final Logger LOG = Logger.getLogger(LifecycleService.class);

    private final Pool pool;
    private final PharmacyStore store;
    private final StatusHistory history;
    private final AgreementWriter writer;
    private final AgreementStateMachine machine;
    private final OutboxRelay relay;
    private final Clock clock;

    public LifecycleService(Pool pool, PharmacyStore store, StatusHistory history, AgreementWriter writer,
                            AgreementStateMachine machine, OutboxRelay relay, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.history = history;
        this.writer = writer;
        this.machine = machine;
        this.relay = relay;
        this.clock = clock;
    }

    /** AGR-07; AGR-09 may turn it into a termination (Nth suspension in the term). */
    public Uni<PharmacyView> suspend(String code, boolean requestedByPharmacy, Cause cause) {
        return apply(code, Action.SUSPEND, cause, (a, now) -> machine.suspend(a, requestedByPharmacy, now));
    }

    public Uni<PharmacyView> resume(String code, Cause cause) {
        return apply(code, Action.RESUME, cause, machine::resume);
    }

    /** AGR-08 */
    public Uni<PharmacyView> hold(String code, Cause cause) {
        return apply(code, Action.SETTLEMENT_HOLD, cause, machine::hold);
    }

    public Uni<PharmacyView> liftHold(String code, Cause cause) {
        return apply(code, Action.LIFT_HOLD, cause, machine::liftHold);
    }

    /** AGR-09 */
    public Uni<PharmacyView> terminate(String code, TerminationGround ground, Cause cause) {
        return apply(code, Action.TERMINATE, cause, (a, now) -> machine.terminate(a, ground, now));
    }

    public Uni<PharmacyView> view(String code) {
        return pool.withConnection(conn -> store.find(conn, code).flatMap(state -> {
            if (state == null) {
                throw unknown(code);
            }
            return history.of(conn, code).map(h -> PharmacyView.of(state, h));
        }));
    }

    private Uni<PharmacyView> apply(String code, Action action, Cause cause,
                                    BiFunction<Agreement, OffsetDateTime, Transition> decide) {
        return pool.withTransaction(tx -> store.lock(tx, code).flatMap(state -> {
                    if (state == null) {
                        throw unknown(code);
                    }
                    OffsetDateTime now = BeijingTime.now(clock);
                    Transition t;
                    try {
                        t = decide.apply(state.agreement(), now);
                    } catch (IllegalTransitionException e) {
                        throw new TransitionRefusedException(code, e);
                    }
                    return writer.apply(tx, state, t, cause, now)
                            .flatMap(after -> history.of(tx, code).map(h -> logged(after, t, cause, h)));
                }))
                .invoke(relay::nudge);
    }

    private static PharmacyView logged(PharmacyState after, Transition t, Cause cause, List<HistoryEntry> h) {
        LOG.infof("%s %s by %s: %s -> %s (%s)", after.code(), t.action().label(), cause.actor(), t.from(), t.to(), t.ruleId());
        return PharmacyView.of(after, h);
    }

    static ProblemException unknown(String code) {
        return ProblemException.notFound("no pharmacy " + code);
    }
}
