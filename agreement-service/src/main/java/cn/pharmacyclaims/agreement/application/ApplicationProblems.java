package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.platform.web.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused application step: 409 problem naming the application, its status and the step. */
public class ApplicationProblems {

    public record StepProblem(String type, String title, int status, String detail, String code, long applicationId,
                              ApplicationStatus currentStatus, String action) {
    }

    @ServerExceptionMapper
    public Response refused(IllegalApplicationStepException e) {
        StepProblem body = new StepProblem("about:blank", "Conflict", 409, e.getMessage(), "ILLEGAL_TRANSITION", e.applicationId(),
                e.currentStatus(), e.action().label());
        return Response.status(409).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
