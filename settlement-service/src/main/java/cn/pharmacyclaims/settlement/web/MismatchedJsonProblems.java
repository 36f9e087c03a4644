package cn.pharmacyclaims.settlement.web;

import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemMappers;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * A body of the wrong shape (an object where the import expects an array, a string where a flag
 * belongs) answers a problem naming the field. Quarkus's own mapper for
 * {@link MismatchedInputException} is more specific than the platform's JsonProcessingException
 * mapper and answers an empty 400; this one takes precedence over it.
 */
public class MismatchedJsonProblems {

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatched(MismatchedInputException e) {
        String field = path(e);
        return ProblemMappers.response(Problem.invalid("the JSON body does not have the expected shape",
                List.of(new Problem.FieldError(field == null ? "$" : field, e.getOriginalMessage()))));
    }

    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
