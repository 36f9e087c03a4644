package cn.pharmacyclaims.gateway.query;

import cn.pharmacyclaims.gateway.api.Answer;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemMappers;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Settlement's query answer as the POS sees it: 200 and 404 pass through with their bodies; any
 * other status is a 502 (the POS cannot act on settlement's internal errors); no answer at all
 * (connection refused, timeout) is a 503 with Retry-After.
 */
public final class QueryAnswers {
    private QueryAnswers() {
    }

    public static Answer fromUpstream(int status, String body, String contentType, String instance) {
        if (status == 200) {
            return new Answer(Response.ok(body == null ? "" : body, MediaType.APPLICATION_JSON).build(), "found");
        }
        if (status == 404) {
            if (body != null && !body.isBlank() && contentType != null && contentType.contains("json")) {
                return new Answer(Response.status(404).type(contentType).entity(body).build(), "not_found");
            }
            return new Answer(ProblemMappers.response(new Problem("about:blank", "Not found", 404,
                    "no such settlement for this pharmacy", instance, "NOT_FOUND", null)), "not_found");
        }
        return new Answer(Refusal.of(RefusalReason.UPSTREAM_ERROR,
                "settlement's query API answered HTTP " + status).response(instance), "upstream_error");
    }

    public static Answer unreachable(Throwable failure, String instance, int retryAfterSeconds) {
        return new Answer(Refusal.retryLater(RefusalReason.SETTLEMENT_UNAVAILABLE,
                "settlement's query API is unreachable; try again", retryAfterSeconds).response(instance), "settlement_unavailable");
    }
}
