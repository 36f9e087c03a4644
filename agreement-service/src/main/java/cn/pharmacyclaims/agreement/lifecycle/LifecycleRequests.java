package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Bodies of the staff lifecycle API; the reason is mandatory (SEC-04 "why"). */
public final class LifecycleRequests {
    static final int MAX_REASON = 2000;

    private LifecycleRequests() {
    }

    /** AGR-07; {@code requestedByPharmacy} marks the pharmacy's own request (180-day limit, not counted for AGR-09). */
    public record SuspendRequest(String reason, Boolean requestedByPharmacy) {
    }

    public record ReasonRequest(String reason) {
    }

    /** AGR-09; {@code ground} is one of {@link TerminationGround} that staff may claim. */
    public record TerminateRequest(String reason, String ground) {
    }

    static String reason(String reason) {
        List<Problem.FieldError> errors = new ArrayList<>();
        checkReason(reason, errors);
        throwIfAny(errors);
        return reason.strip();
    }

    static TerminationGround ground(TerminateRequest body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        checkReason(body == null ? null : body.reason(), errors);
        TerminationGround ground = null;
        String g = body == null ? null : body.ground();
        String allowed = Arrays.stream(TerminationGround.values()).filter(TerminationGround::staffMayClaim).map(Enum::name).toList().toString();
        if (g == null || g.isBlank()) {
            errors.add(new Problem.FieldError("ground", "is required, one of " + allowed));
        } else {
            try {
                ground = TerminationGround.valueOf(g.strip());
                if (!ground.staffMayClaim()) {
                    errors.add(new Problem.FieldError("ground", ground + " is decided by the system, not claimed; one of " + allowed));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("ground", "unknown ground '" + g + "'; one of " + allowed));
            }
        }
        throwIfAny(errors);
        return ground;
    }

    private static void checkReason(String reason, List<Problem.FieldError> errors) {
        if (reason == null || reason.isBlank()) {
            errors.add(new Problem.FieldError("reason", "is required (SEC-04: every change records why)"));
        } else if (reason.length() > MAX_REASON) {
            errors.add(new Problem.FieldError("reason", "must be at most " + MAX_REASON + " characters"));
        }
    }

    private static void throwIfAny(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the request has " + errors.size() + " invalid field(s)", errors);
        }
    }
}
