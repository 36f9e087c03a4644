package cn.pharmacyclaims.agreement.application;

/** One step of an application: before and after, the rule that governs it, and the machine's own note (or null). */
public record ApplicationTransition(Application before, Application after, ApplicationAction action, String ruleId, String note) {

    public ApplicationStatus from() {
        return before == null ? null : before.status();
    }

    public ApplicationStatus to() {
        return after.status();
    }
}
