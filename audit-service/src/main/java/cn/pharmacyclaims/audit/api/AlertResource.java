package cn.pharmacyclaims.audit.api;

import cn.pharmacyclaims.audit.alert.AlertQuery;
import cn.pharmacyclaims.audit.alert.AlertStore;
import cn.pharmacyclaims.common.events.ViolationAlert;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Auditors' view of the violation alerts (role {@code auditor}, SEC-02/SEC-03); psnNo only, never names (AUD-23). */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("auditor")
@Tag(name = "alerts", description = "Violation alerts raised by the AUD rules")
public class AlertResource {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Pattern RULE_ID = Pattern.compile("AUD-\\d{2}");

    private final AlertStore store;

    public AlertResource(AlertStore store) {
        this.store = store;
    }

    @GET
    @Operation(summary = "List alerts, newest first",
            description = "from/to (ISO-8601 with offset) select alerts whose window, the event-time span of their"
                    + " settlements, overlaps [from, to).")
    public Uni<List<ViolationAlert>> list(
            @Parameter(description = "12-character pharmacy code") @QueryParam("pharmacyCode") String pharmacyCode,
            @Parameter(description = "rule ID such as AUD-02") @QueryParam("ruleId") String ruleId,
            @Parameter(description = "ISO-8601 time with offset, inclusive") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 time with offset, exclusive") @QueryParam("to") String to,
            @Parameter(description = "at most this many alerts (1-1000, default 100)") @QueryParam("limit") String limit) {
        List<Problem.FieldError> errors = new ArrayList<>();
        OffsetDateTime f = time("from", from, errors);
        OffsetDateTime t = time("to", to, errors);
        int n = limit(limit, errors);
        if (ruleId != null && !ruleId.isBlank() && !RULE_ID.matcher(ruleId).matches()) {
            errors.add(new Problem.FieldError("ruleId", "must look like AUD-02"));
        }
        if (f != null && t != null && !f.isBefore(t)) {
            errors.add(new Problem.FieldError("to", "must be after from"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the query has " + errors.size() + " invalid parameter(s)", errors);
        }
        return store.list(new AlertQuery(blankToNull(pharmacyCode), blankToNull(ruleId), f, t, n));
    }

    @GET
    @Path("/{alertId}")
    @Operation(summary = "One alert with every settlement appended to it since it was raised")
    public Uni<ViolationAlert> get(@PathParam("alertId") String alertId) {
        UUID id;
        try {
            id = UUID.fromString(alertId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no alert " + alertId);
        }
        return store.find(id).map(a -> a.orElseThrow(() -> ProblemException.notFound("no alert " + alertId)));
    }

    private static OffsetDateTime time(String name, String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(name, "must be an ISO-8601 time with offset, e.g. 2026-11-23T10:15:00+08:00"));
            return null;
        }
    }

    private static int limit(String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new Problem.FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
