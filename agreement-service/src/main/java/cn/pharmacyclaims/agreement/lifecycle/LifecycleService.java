package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.lifecycle.AgreementChanges.Target;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.web.ProblemException;
import cn.pharmacyclaims.platform.db.Snapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.function.BiFunction;

/**
 * Staff actions on an agreement (AGR-07, AGR-08, AGR-09, AGR-10). Each one, in a single transaction:
 * lock the pharmacy and its agreements, ask the {@link AgreementStateMachine}, write state + history +
 * outbox event (and the AGR-10 cascade); then nudge the relay. A refused action changes nothing.
 */
@ApplicationScoped
public class LifecycleService {
    private static final Logger LOG = Logger.getLogger(LifecycleService.class);

    private final Pool pool;
    private final PharmacyStore store;
    private final AgreementChanges changes;
    private final AgreementWriter writer;
    private final AgreementStateMachine machine;
    private final PharmacyViews views;
    private final OutboxRelay relay;
    private final AgreementConfig config;
    private final Clock clock;

    public LifecycleService(Pool pool, PharmacyStore store, AgreementChanges changes, AgreementWriter writer, AgreementStateMachine machine,
                            PharmacyViews views, OutboxRelay relay, AgreementConfig config, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.changes = changes;
        this.writer = writer;
        this.machine = machine;
        this.views = views;
        this.relay = relay;
        this.config = config;
        this.clock = clock;
    }

    /** AGR-07; AGR-09 may turn it into a termination (Nth suspension in the term); AGR-10 cascades from prefecture level up. */
    public Uni<PharmacyView> suspend(String code, String region, boolean requestedByPharmacy, LocalDate requestedOn, AgencyLevel level,
                                     Cause cause) {
        // a pharmacy's own request is not an agency decision: it never cascades
        AgencyLevel effective = requestedByPharmacy ? AgencyLevel.COUNTY : level;
        return apply(code, region, Action.SUSPEND, effective, cause, (a, now) -> {
            if (requestedByPharmacy && requestedOn != null) {
                AgreementStateMachine.requireNotice(a, Action.SUSPEND, requestedOn, now.toLocalDate(), config.pharmacyNoticeMonths());
            }
            return machine.suspend(a, requestedByPharmacy, now);
        }, (a, now) -> machine.suspend(a, false, now));
    }

    public Uni<PharmacyView> resume(String code, String region, Cause cause) {
        return apply(code, region, Action.RESUME, AgencyLevel.COUNTY, cause, machine::resume, machine::resume);
    }

    /** AGR-08 */
    public Uni<PharmacyView> hold(String code, String region, Cause cause) {
        return apply(code, region, Action.SETTLEMENT_HOLD, AgencyLevel.COUNTY, cause, machine::hold, machine::hold);
    }

    public Uni<PharmacyView> liftHold(String code, String region, Cause cause) {
        return apply(code, region, Action.LIFT_HOLD, AgencyLevel.COUNTY, cause, machine::liftHold, machine::liftHold);
    }

    /** AGR-09; AGR-10 cascades from prefecture level up. */
    public Uni<PharmacyView> terminate(String code, String region, TerminationGround ground, LocalDate requestedOn, AgencyLevel level,
                                       Cause cause) {
        BiFunction<Agreement, OffsetDateTime, Transition> decide = (a, now) -> machine.terminate(a, ground, now);
        BiFunction<Agreement, OffsetDateTime, Transition> withNotice = (a, now) -> {
            if (ground == TerminationGround.PHARMACY_REQUEST && requestedOn != null) {
                AgreementStateMachine.requireNotice(a, Action.TERMINATE, requestedOn, now.toLocalDate(), config.pharmacyNoticeMonths());
            }
            return decide.apply(a, now);
        };
        return apply(code, region, Action.TERMINATE, level, cause, withNotice, decide);
    }

    /** AGR-10: the pharmacy's agreement in an additional region (ACTIVE; not published: the status topic carries the home region). */
    public Uni<PharmacyView> addAgreement(String code, LifecycleRequests.NewAgreement n, Cause cause) {
        return pool.withTransaction(tx -> store.lockAgreements(tx, code).flatMap(states -> {
                    if (states.isEmpty()) {
                        throw unknown(code);
                    }
                    PharmacyState home = states.get(0);
                    if (home.pharmacy().regionCode().equals(n.regionCode())) {
                        throw ProblemException.conflict(n.regionCode() + " is the home region of " + code
                                + "; its agreement comes from the import or an application", "HOME_REGION");
                    }
                    if (home.agreement().status() == PharmacyStatus.TERMINATED) {
                        throw new TransitionRefusedException(code, new IllegalTransitionException(PharmacyStatus.TERMINATED,
                                Action.ADD_AGREEMENT, "the pharmacy's home agreement is terminated (AGR-09)"));
                    }
                    Agreement previous = states.stream().map(PharmacyState::agreement).filter(a -> a.regionCode().equals(n.regionCode()))
                            .findFirst().orElse(null);
                    OffsetDateTime now = BeijingTime.now(clock);
                    Transition t;
                    try {
                        t = machine.designate(previous, code, n.regionCode(), n.type(), n.validFrom(), n.validTo(), Action.ADD_AGREEMENT,
                                false, now);
                    } catch (IllegalTransitionException e) {
                        throw new TransitionRefusedException(code, e);
                    }
                    return writer.apply(tx, new PharmacyState(home.pharmacy(), previous), t, cause, now)
                            .flatMap(after -> views.load(tx, code));
                }))
                .invoke(v -> LOG.infof("%s agreement added in region %s by %s", code, n.regionCode(), cause.actor()));
    }

    /** The view's dozen reads in one snapshot (a sanction never shows without its deadline). */
    public Uni<PharmacyView> view(String code) {
        return Snapshot.read(pool, tx -> views.load(tx, code));
    }

    private Uni<PharmacyView> apply(String code, String region, Action action, AgencyLevel level, Cause cause,
                                    BiFunction<Agreement, OffsetDateTime, Transition> decide,
                                    BiFunction<Agreement, OffsetDateTime, Transition> cascade) {
        Target target = region == null ? Target.home() : Target.region(region);
        return pool.withTransaction(tx -> changes.apply(tx, code, target, action, level, cause, decide, cascade)
                        .flatMap(outcome -> {
                            for (Transition t : outcome.applied()) {
                                LOG.infof("%s %s in %s by %s: %s -> %s (%s)", code, t.action().label(), t.after().regionCode(), cause.actor(),
                                        t.from(), t.to(), t.ruleId());
                            }
                            return views.load(tx, code);
                        }))
                .invoke(relay::nudge);
    }

    static ProblemException unknown(String code) {
        return ProblemException.notFound("no pharmacy " + code);
    }
}
