package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.Source;
import cn.pharmacyclaims.agreement.pharmacy.Pharmacy;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyState;
import cn.pharmacyclaims.agreement.pharmacy.PharmacyStore;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One decision on a pharmacy's agreement, in the caller's transaction: lock the pharmacy and all its
 * agreements, ask the {@link AgreementStateMachine}, write through the {@link AgreementWriter}; and
 * AGR-10: a suspension or termination decided at prefecture level or above reaches the pharmacy's
 * agreements in every other region, each recorded with its cause ("cascade from &lt;region&gt;").
 *
 * <p>Idempotent: an agreement already in the decided state is left as it is, so a repeated
 * prefecture-level request changes nothing and publishes nothing. At county level a repeated request
 * is refused as before (409, the transition is illegal).
 */
@ApplicationScoped
public class AgreementChanges {

    /**
     * @param home    the pharmacy with its home agreement after the change
     * @param applied the transitions written, the decided region's first
     */
    public record Outcome(PharmacyState home, List<Transition> applied) {
    }

    /** Which region's agreement a decision is about. */
    public record Target(String regionCode, boolean fallBackToHome) {
        public static Target home() {
            return new Target(null, true);
        }

        public static Target region(String regionCode) {
            return new Target(regionCode, false);
        }

        /** A sanction names the region of the case; a pharmacy without an agreement there is sanctioned at home. */
        public static Target regionOrHome(String regionCode) {
            return new Target(regionCode, true);
        }
    }

    private final PharmacyStore store;
    private final AgreementWriter writer;
    private final AgreementStateMachine machine;
    private final Clock clock;

    public AgreementChanges(PharmacyStore store, AgreementWriter writer, AgreementStateMachine machine, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.machine = machine;
        this.clock = clock;
    }

    public AgreementStateMachine machine() {
        return machine;
    }

    /**
     * @param decide  the decision on the target agreement
     * @param cascade the same decision for another region's agreement (used when {@code level} cascades and
     *                {@code action} is SUSPEND or TERMINATE); may throw {@link IllegalTransitionException} to skip it
     * @throws ProblemException            404 when the pharmacy or the region's agreement is unknown
     * @throws TransitionRefusedException  409 when the target's status does not allow the action
     */
    public Uni<Outcome> apply(SqlClient tx, String code, Target target, Action action, AgencyLevel level, Cause cause,
                              BiFunction<Agreement, OffsetDateTime, Transition> decide,
                              BiFunction<Agreement, OffsetDateTime, Transition> cascade) {
        return store.lockAgreements(tx, code).flatMap(states -> {
            if (states.isEmpty()) {
                throw ProblemException.notFound("no pharmacy " + code);
            }
            PharmacyState origin = pick(states, target, code);
            OffsetDateTime now = BeijingTime.now(clock);
            boolean cascades = level.cascades() && (action == Action.SUSPEND || action == Action.TERMINATE);
            List<Step> steps = new ArrayList<>();
            try {
                steps.add(new Step(origin.agreement(), decide.apply(origin.agreement(), now), cause));
            } catch (IllegalTransitionException e) {
                if (!(cascades && alreadyDecided(origin.agreement(), action))) {
                    throw new TransitionRefusedException(code, e);
                }
                // AGR-10 idempotency: the decided region is in that state already; the others are still checked
            }
            if (cascades) {
                String from = origin.agreement().regionCode();
                Cause cascadeCause = new Cause(cause.actor(), Source.CASCADE, "cascade from " + from + ": " + cause.reason());
                for (PharmacyState other : states) {
                    if (other.agreement().id() == origin.agreement().id()) {
                        continue;
                    }
                    try {
                        steps.add(new Step(other.agreement(), cascade.apply(other.agreement(), now).asCascade(from, level), cascadeCause));
                    } catch (IllegalTransitionException e) {
                        // already suspended or terminated, or ended: nothing to do in that region
                    }
                }
            }
            return write(tx, states.get(0).pharmacy(), homeOf(states), steps, 0, new ArrayList<>(), now);
        });
    }

    private record Step(Agreement before, Transition transition, Cause cause) {
    }

    /** One after the other on the transaction's connection; the pharmacy's version moves with each home change. */
    private Uni<Outcome> write(SqlClient tx, Pharmacy pharmacy, PharmacyState home, List<Step> steps, int i, List<Transition> done,
                               OffsetDateTime now) {
        if (i == steps.size()) {
            return Uni.createFrom().item(new Outcome(new PharmacyState(pharmacy, home.agreement()), List.copyOf(done)));
        }
        Step s = steps.get(i);
        return writer.apply(tx, new PharmacyState(pharmacy, s.before()), s.transition(), s.cause(), now).flatMap(after -> {
            done.add(s.transition());
            PharmacyState nextHome = after.agreement().regionCode().equals(pharmacy.regionCode()) ? after : home;
            return write(tx, after.pharmacy(), nextHome, steps, i + 1, done, now);
        });
    }

    private static boolean alreadyDecided(Agreement a, Action action) {
        return (action == Action.SUSPEND && a.status() == PharmacyStatus.SUSPENDED)
                || (action == Action.TERMINATE && a.status() == PharmacyStatus.TERMINATED);
    }

    private static PharmacyState homeOf(List<PharmacyState> states) {
        return states.get(0); // lockAgreements answers the home region first
    }

    private static PharmacyState pick(List<PharmacyState> states, Target target, String code) {
        if (target.regionCode() == null) {
            return homeOf(states);
        }
        for (PharmacyState s : states) {
            if (s.agreement().regionCode().equals(target.regionCode())) {
                return s;
            }
        }
        if (target.fallBackToHome()) {
            return homeOf(states);
        }
        throw ProblemException.notFound(code + " holds no agreement in region " + target.regionCode());
    }
}
