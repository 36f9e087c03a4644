package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;

/**
 * The result of applying an {@link Action} to an agreement: the agreement before and after, and
 * what the machine decided on its own (a suspension converted into a termination, AGR-09). When
 * {@code after} has id 0 it is a new agreement row (a new term: AGR-04 signing, AGR-05 renewal, an
 * additional region, AGR-10) that supersedes {@code before} (null when there was none).
 *
 * @param ground termination ground when the result is TERMINATED, else null
 * @param ruleId the rule that decided the outcome, cited in history
 * @param note   the machine's own explanation, appended to the officer's reason; null if none
 */
public record Transition(Agreement before, Agreement after, Action action, TerminationGround ground, String ruleId,
                         String note) {

    public PharmacyStatus from() {
        return before == null ? null : before.status();
    }

    /** A new agreement row (a new term) rather than a change of the current one. */
    public boolean newTerm() {
        return after.id() == 0;
    }

    /** AGR-10: the same decision reaching another region's agreement of the pharmacy. */
    public Transition asCascade(String originRegion, AgencyLevel level) {
        String cascade = "AGR-10: cascade from region " + originRegion + " (" + level + " decision)";
        return new Transition(before, after, action, ground, "AGR-10", note == null ? cascade : cascade + "; " + note);
    }

    public PharmacyStatus to() {
        return after.status();
    }

    /** The reason recorded in history and published: the human reason plus the machine's note. */
    public String reasonWith(String humanReason) {
        if (note == null) {
            return humanReason;
        }
        return humanReason == null || humanReason.isBlank() ? note : humanReason + " | " + note;
    }
}
