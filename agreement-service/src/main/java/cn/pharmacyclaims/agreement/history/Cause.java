package cn.pharmacyclaims.agreement.history;

/**
 * SEC-04 "who and why" of a change.
 *
 * @param actor  the staff member's principal name, or {@code system:<job>}
 * @param reason mandatory, human-readable
 */
public record Cause(String actor, Source source, String reason) {
    public Cause {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("a change needs an actor (SEC-04)");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a change needs a reason (SEC-04)");
        }
    }

    public static Cause system(String job, String reason) {
        return new Cause("system:" + job, Source.SCHEDULER, reason);
    }
}
