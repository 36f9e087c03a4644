package cn.pharmacyclaims.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Turns every client error into a problem response that names what is wrong. */
public class ProblemMappers {

    public static Response response(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return response(e.problem());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? pathOf(m) : null;
        String detail = e.getOriginalMessage();
        return response(Problem.invalid("malformed JSON body",
                List.of(new Problem.FieldError(field == null ? "$" : field, detail))));
    }

    /**
     * A body of the wrong shape ({@code "lat": "north"}, an object where an array belongs).
     * quarkus-rest-jackson has its own, more specific mapper for this exception that answers
     * without a problem body; the higher priority makes this one win in every service.
     */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    static String pathOf(JsonMappingException m) {
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
