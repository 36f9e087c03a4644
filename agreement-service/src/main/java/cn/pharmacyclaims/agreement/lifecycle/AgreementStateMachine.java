package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import static cn.pharmacyclaims.common.events.PharmacyStatus.ACTIVE;
import static cn.pharmacyclaims.common.events.PharmacyStatus.EXPIRED;
import static cn.pharmacyclaims.common.events.PharmacyStatus.SETTLEMENT_HOLD;
import static cn.pharmacyclaims.common.events.PharmacyStatus.SUSPENDED;
import static cn.pharmacyclaims.common.events.PharmacyStatus.TERMINATED;

/**
 * The agreement lifecycle (AGR-05, AGR-07, AGR-08, AGR-09) as plain Java: every method takes the
 * current agreement and answers the {@link Transition} to apply, or throws
 * {@link IllegalTransitionException}. No I/O, no clock: "now" is an argument (Beijing time), so the
 * rules are unit-tested without Quarkus and every caller (staff API, scheduler, later AUD-21
 * sanctions and the AGR-10 cascade) gets the same decisions.
 *
 * <pre>
 *             hold                     suspend (Nth in term: terminate, AGR-09)
 *   ACTIVE ---------> SETTLEMENT_HOLD ----------------------------+
 *     ^  <---------        |                                     v
 *     |    lift-hold       | suspend (hold kept)            SUSPENDED --resume--> ACTIVE or SETTLEMENT_HOLD
 *     +--------------------+-----------------------------------> |  (pharmacy-requested, 180 days: TERMINATED)
 *   ACTIVE / SETTLEMENT_HOLD / SUSPENDED --terminate--> TERMINATED (final)
 *   ACTIVE / SETTLEMENT_HOLD / SUSPENDED --valid_to passed--> EXPIRED (AGR-05; AGR-07 "outlasts the term")
 * </pre>
 */
public final class AgreementStateMachine {

    /**
     * @param maxSuspensionsGeneral         AGR-09: the Nth suspension within one term terminates a GENERAL agreement
     * @param maxSuspensionsSpecialDrug     the same for SPECIAL_DRUG agreements
     * @param countPharmacyRequested        whether a suspension the pharmacy asked for counts toward that limit
     *                                      (design choice: no; the rule speaks of being suspended, 被中止)
     * @param requestedSuspensionMaxDays    AGR-07: longest pharmacy-requested suspension
     */
    public record Rules(int maxSuspensionsGeneral, int maxSuspensionsSpecialDrug, boolean countPharmacyRequested,
                        int requestedSuspensionMaxDays) {
        public Rules {
            if (maxSuspensionsGeneral < 1 || maxSuspensionsSpecialDrug < 1 || requestedSuspensionMaxDays < 1) {
                throw new IllegalArgumentException("suspension limits must be positive");
            }
        }

        public static Rules defaults() {
            return new Rules(2, 3, false, 180);
        }

        public int maxSuspensions(AgreementType type) {
            return type == AgreementType.SPECIAL_DRUG ? maxSuspensionsSpecialDrug : maxSuspensionsGeneral;
        }
    }

    private final Rules rules;

    public AgreementStateMachine(Rules rules) {
        this.rules = rules;
    }

    public Rules rules() {
        return rules;
    }

    /** AGR-07 suspension; AGR-09: the Nth counted suspension within the term terminates instead. */
    public Transition suspend(Agreement a, boolean requestedByPharmacy, OffsetDateTime now) {
        Action action = Action.SUSPEND;
        if (a.status() == SUSPENDED) {
            throw new IllegalTransitionException(a.status(), action, "the agreement is already suspended");
        }
        requireOneOf(a, action, ACTIVE, SETTLEMENT_HOLD);
        boolean counts = !requestedByPharmacy || rules.countPharmacyRequested();
        int count = counts ? a.suspensionsInTerm() + 1 : a.suspensionsInTerm();
        int max = rules.maxSuspensions(a.type());
        if (counts && count >= max) {
            // AGR-09: suspended `max` times within one term is a ground for termination
            Agreement after = a.withStatus(TERMINATED, now).withSuspension(count, null, false)
                    .withGround(TerminationGround.REPEATED_SUSPENSION).nextVersion();
            return new Transition(a, after, action, TerminationGround.REPEATED_SUSPENSION, "AGR-09",
                    "AGR-09: suspension " + count + " within the agreement term (limit " + max + " for "
                            + a.type() + ") terminates the agreement");
        }
        // AGR-07: the hold, if any, stays recorded and returns on resume
        Agreement after = a.withStatus(SUSPENDED, now).withSuspension(count, now, requestedByPharmacy).nextVersion();
        return new Transition(a, after, action, null, "AGR-07", null);
    }

    /** AGR-07: back to ACTIVE, or to SETTLEMENT_HOLD when a hold was in place before the suspension. */
    public Transition resume(Agreement a, OffsetDateTime now) {
        Action action = Action.RESUME;
        requireOneOf(a, action, SUSPENDED);
        if (termOver(a, now.toLocalDate())) {
            // AGR-07: a suspension that outlasts the term ends the agreement; it cannot come back to life
            throw new IllegalTransitionException(a.status(), action,
                    "the agreement term ended on " + a.validTo() + "; the agreement expires (AGR-07)");
        }
        PharmacyStatus to = a.settlementHold() ? SETTLEMENT_HOLD : ACTIVE;
        Agreement after = a.withStatus(to, now).withSuspension(a.suspensionsInTerm(), null, false).nextVersion();
        return new Transition(a, after, action, null, "AGR-07", null);
    }

    /** AGR-08: settlement hold, a lighter sanction than suspension. */
    public Transition hold(Agreement a, OffsetDateTime now) {
        Action action = Action.SETTLEMENT_HOLD;
        if (a.status() == SETTLEMENT_HOLD) {
            throw new IllegalTransitionException(a.status(), action, "the settlement is already on hold");
        }
        requireOneOf(a, action, ACTIVE);
        Agreement after = a.withStatus(SETTLEMENT_HOLD, now).withHold(true).nextVersion();
        return new Transition(a, after, action, null, "AGR-08", null);
    }

    /** AGR-08: lifts the hold; while SUSPENDED it only clears the hold so that resume goes to ACTIVE. */
    public Transition liftHold(Agreement a, OffsetDateTime now) {
        Action action = Action.LIFT_HOLD;
        if (a.status() == SETTLEMENT_HOLD) {
            Agreement after = a.withStatus(ACTIVE, now).withHold(false).nextVersion();
            return new Transition(a, after, action, null, "AGR-08", null);
        }
        if (a.status() == SUSPENDED && a.settlementHold()) {
            Agreement after = a.withHold(false).nextVersion();
            return new Transition(a, after, action, null, "AGR-08", "AGR-08: hold lifted while suspended; resume returns to ACTIVE");
        }
        throw new IllegalTransitionException(a.status(), action, "there is no settlement hold to lift");
    }

    /** AGR-09: termination is final. */
    public Transition terminate(Agreement a, TerminationGround ground, OffsetDateTime now) {
        Action action = Action.TERMINATE;
        if (ground == null) {
            throw new IllegalArgumentException("a termination needs a ground");
        }
        requireOneOf(a, action, ACTIVE, SETTLEMENT_HOLD, SUSPENDED);
        Agreement after = a.withStatus(TERMINATED, now).withSuspension(a.suspensionsInTerm(), null, false)
                .withGround(ground).nextVersion();
        return new Transition(a, after, action, ground, "AGR-09", null);
    }

    /** AGR-05: valid through valid_to (inclusive, Beijing date); the day after, the agreement has expired. */
    public boolean expiryDue(Agreement a, LocalDate today) {
        return !a.ended() && termOver(a, today);
    }

    /** AGR-05 expiry, and AGR-07: a suspension that outlasts the term ends the agreement. */
    public Transition expire(Agreement a, OffsetDateTime now) {
        Action action = Action.EXPIRE;
        requireOneOf(a, action, ACTIVE, SETTLEMENT_HOLD, SUSPENDED);
        if (!termOver(a, now.toLocalDate())) {
            throw new IllegalTransitionException(a.status(), action, "the term runs until " + a.validTo());
        }
        String rule = a.status() == SUSPENDED ? "AGR-07" : "AGR-05";
        Agreement after = a.withStatus(EXPIRED, now).withSuspension(a.suspensionsInTerm(), null, false).nextVersion();
        return new Transition(a, after, action, null, rule,
                rule + ": the agreement term ended on " + a.validTo() + " without renewal");
    }

    /** AGR-07: a pharmacy-requested suspension that reached its maximum length without a resume. */
    public boolean requestedSuspensionDue(Agreement a, OffsetDateTime now) {
        return a.status() == SUSPENDED && a.suspensionRequestedByPharmacy() && a.suspendedAt() != null
                && !now.isBefore(a.suspendedAt().plusDays(rules.requestedSuspensionMaxDays()));
    }

    /** AGR-07: the pharmacy did not ask to resume within the maximum length: the agreement ends. */
    public Transition endRequestedSuspension(Agreement a, OffsetDateTime now) {
        Action action = Action.END_REQUESTED_SUSPENSION;
        if (!requestedSuspensionDue(a, now)) {
            throw new IllegalTransitionException(a.status(), action,
                    "only a pharmacy-requested suspension older than " + rules.requestedSuspensionMaxDays() + " days ends automatically");
        }
        TerminationGround ground = TerminationGround.REQUESTED_SUSPENSION_NOT_RESUMED;
        Agreement after = a.withStatus(TERMINATED, now).withSuspension(a.suspensionsInTerm(), null, false)
                .withGround(ground).nextVersion();
        return new Transition(a, after, action, ground, "AGR-07",
                "AGR-07: pharmacy-requested suspension since " + a.suspendedAt().toLocalDate() + " not resumed within "
                        + rules.requestedSuspensionMaxDays() + " days");
    }

    /**
     * AGR-05: a signed renewal's new term replaces the ending one. Only a running agreement is renewed
     * (a suspension that outlasts the term ends it, AGR-07), or one that expired while the renewal was
     * still being evaluated (then the new term starts when it is signed). The new term counts its own
     * suspensions (AGR-09); a settlement hold stays until an officer lifts it (AGR-08).
     */
    public Transition renew(Agreement a, LocalDate termFrom, LocalDate termTo, OffsetDateTime now) {
        Action action = Action.RENEW;
        requireOneOf(a, action, ACTIVE, SETTLEMENT_HOLD, EXPIRED);
        if (termTo.isBefore(termFrom)) {
            throw new IllegalArgumentException("the new term ends before it starts");
        }
        if (a.status() != EXPIRED && !termFrom.isAfter(a.validTo())) {
            throw new IllegalTransitionException(a.status(), action, "the new term must start after the current one ends on " + a.validTo());
        }
        PharmacyStatus to = a.settlementHold() ? SETTLEMENT_HOLD : ACTIVE;
        Agreement after = new Agreement(0, a.pharmacyCode(), a.regionCode(), a.type(), termFrom, termTo, to, a.settlementHold(), 0,
                null, false, null, now, 1);
        return new Transition(a, after, action, null, "AGR-05",
                "AGR-05: renewed for " + termFrom + ".." + termTo + " (replaces the term ending " + a.validTo() + ")");
    }

    /**
     * AGR-04 signing (or an additional region's agreement, AGR-10): a new ACTIVE agreement in a region
     * where the pharmacy holds none, or only an ended one. {@code replaceTerminated}: whether a
     * TERMINATED agreement may be replaced (an application that passed after its ban ended may; an
     * officer adding a region may not).
     */
    public Transition designate(Agreement previous, String pharmacyCode, String regionCode, AgreementType type, LocalDate from,
                                LocalDate to, Action action, boolean replaceTerminated, OffsetDateTime now) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the term ends before it starts");
        }
        if (previous != null) {
            if (previous.status() == TERMINATED && !replaceTerminated) {
                throw new IllegalTransitionException(previous.status(), action,
                        "the agreement in region " + regionCode + " was terminated; only a new application can lead to a new one (AGR-09, AGR-12)");
            }
            if (!previous.ended()) {
                throw new IllegalTransitionException(previous.status(), action,
                        "the pharmacy already holds a running agreement in region " + regionCode + " until " + previous.validTo());
            }
        }
        Agreement after = new Agreement(0, pharmacyCode, regionCode, type, from, to, ACTIVE, false, 0, null, false, null, now, 1);
        String rule = action == Action.SIGN ? "AGR-04" : "AGR-10";
        return new Transition(previous, after, action, null, rule, rule + ": agreement in region " + regionCode + " for " + from + ".." + to);
    }

    /**
     * AGR-07 / AGR-09: a pharmacy's own suspension or termination needs {@code months} months' notice;
     * it takes effect no earlier than that after the request was received.
     */
    public static void requireNotice(Agreement a, Action action, LocalDate requestedOn, LocalDate today, int months) {
        LocalDate effective = requestedOn.plusMonths(months);
        if (today.isBefore(effective)) {
            throw new IllegalTransitionException(a.status(), action, "the pharmacy's request of " + requestedOn + " needs " + months
                    + " months' notice (AGR-07, AGR-09): it can take effect from " + effective);
        }
    }

    private static boolean termOver(Agreement a, LocalDate today) {
        return today.isAfter(a.validTo());
    }

    private static void requireOneOf(Agreement a, Action action, PharmacyStatus... allowed) {
        for (PharmacyStatus s : allowed) {
            if (a.status() == s) {
                return;
            }
        }
        String why = switch (a.status()) {
            case TERMINATED -> "a terminated agreement is final (AGR-09)";
            case EXPIRED -> "the agreement has expired; only a new term can follow (AGR-05)";
            default -> "allowed only from " + java.util.Arrays.toString(allowed);
        };
        throw new IllegalTransitionException(a.status(), action, why);
    }
}
