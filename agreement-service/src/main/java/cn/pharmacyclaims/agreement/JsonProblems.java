package cn.pharmacyclaims.agreement;

import cn.pharmacyclaims.platform.web.ProblemMappers;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * quarkus-rest-jackson maps {@link MismatchedInputException} (a wrong type such as {@code "lat": "north"})
 * with a built-in mapper that answers plain JSON, shadowing the platform's JsonProcessingException
 * mapper; this one sends it back through the platform's problem response naming the field.
 */
public class JsonProblems {
    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return problems.json(e);
    }
}
