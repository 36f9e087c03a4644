package cn.pharmacyclaims.gateway.refusal;

import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemMappers;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * A POS call the gateway refuses; nothing was produced to Kafka. Carries the RFC 9457 problem
 * and, for 429 and 503, how long the POS should wait. Thrown on hot paths, so no stack trace.
 */
public final class Refusal extends RuntimeException {
    private final RefusalReason reason;
    private final transient List<Problem.FieldError> errors;
    private final Integer retryAfterSeconds;

    private Refusal(RefusalReason reason, String detail, List<Problem.FieldError> errors, Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.reason = reason;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static Refusal of(RefusalReason reason, String detail) {
        return new Refusal(reason, detail, null, null);
    }

    public static Refusal retryLater(RefusalReason reason, String detail, int retryAfterSeconds) {
        return new Refusal(reason, detail, null, Math.max(1, retryAfterSeconds));
    }

    /** 400 naming every bad field. */
    public static Refusal invalid(List<Problem.FieldError> errors) {
        return new Refusal(RefusalReason.MALFORMED, "the request has " + errors.size() + " invalid field(s)",
                List.copyOf(errors), null);
    }

    public RefusalReason reason() {
        return reason;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem problem(String instance) {
        return new Problem("about:blank", reason.title(), reason.status(), getMessage(), instance, reason.code(), errors);
    }

    public Response response(String instance) {
        Response r = ProblemMappers.response(problem(instance));
        if (retryAfterSeconds == null) {
            return r;
        }
        return Response.fromResponse(r).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).build();
    }
}
