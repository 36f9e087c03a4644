package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;

/**
 * The result of applying an {@link Action} to an agreement: the agreement before and after, and
 * what the machine decided on its own (a suspension converted into a termination, AGR-09).
 *
 * @param ground termination ground when the result is TERMINATED, else null
 * @param ruleId the rule that decided the outcome, cited in history
 * @param note   the machine's own explanation, appended to the officer's reason; null if none
 */
public record Transition(Agreement before, Agreement after, Action action, TerminationGround ground, String ruleId,
                         String note) {

    public PharmacyStatus from() {
        return before.status();
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
