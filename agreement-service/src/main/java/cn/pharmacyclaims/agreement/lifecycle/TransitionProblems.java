package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.platform.web.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refused transition: 409 problem (RFC 9457) whose extension members name the current status and
 * the attempted action, so a client need not parse the detail text.
 */
public class TransitionProblems {

    public static final String CODE = "ILLEGAL_TRANSITION";

    public record TransitionProblem(String type, String title, int status, String detail, String code, String pharmacyCode,
                                    PharmacyStatus currentStatus, String action) {
    }

    @ServerExceptionMapper
    public Response refused(TransitionRefusedException e) {
        TransitionProblem body = new TransitionProblem("about:blank", "Conflict", 409, e.getMessage(), CODE, e.pharmacyCode(),
                e.currentStatus(), e.action().label());
        return Response.status(409).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
