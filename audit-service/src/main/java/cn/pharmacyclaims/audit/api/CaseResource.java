package cn.pharmacyclaims.audit.api;

import cn.pharmacyclaims.audit.cases.AuditCase;
import cn.pharmacyclaims.audit.cases.CaseEvent;
import cn.pharmacyclaims.audit.cases.CaseRequests;
import cn.pharmacyclaims.audit.cases.CaseService;
import cn.pharmacyclaims.audit.cases.CaseSettlement;
import cn.pharmacyclaims.audit.cases.CaseStatus;
import cn.pharmacyclaims.audit.cases.CaseView;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Auditors' cases (AUD-20) and, on confirmation, the sanctions ladder (AUD-21). Role {@code auditor}
 * (SEC-02); the auditor who opened a case cannot confirm it (SEC-03); every step is kept with who,
 * when and why (SEC-04). Views carry psnNo, never names or ID-card numbers (AUD-23).
 */
@Path("/api/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("auditor")
@Tag(name = "cases", description = "Auditors' cases from violation alerts, and the sanctions they lead to (AUD-20, AUD-21)")
public class CaseResource {
    private final CaseService cases;

    public CaseResource(CaseService cases) {
        this.cases = cases;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open a case from alerts (AUD-20)",
            description = "The alerts must exist and be about one pharmacy, and none may be in an open or confirmed case."
                    + " The settlements of that pharmacy behind the alerts are withheld while the case is open (SET-03).")
    @APIResponse(responseCode = "201", description = "the case, OPEN", content = @Content(schema = @Schema(implementation = CaseView.class)))
    @APIResponse(responseCode = "400", description = "a bad field, UNKNOWN_ALERT, ALERT_WITHOUT_PHARMACY or ALERTS_OF_SEVERAL_PHARMACIES;"
            + " every bad field named", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "ALERT_IN_OPEN_CASE or ALERT_IN_CONFIRMED_CASE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<CaseView>> open(CaseRequests.OpenCase body, @Context SecurityContext sc, @Context UriInfo uri) {
        CaseRequests.Opening opening = CaseRequests.opening(body);
        return cases.open(user(sc), opening).map(v -> RestResponse.ResponseBuilder.<CaseView>created(
                uri.getBaseUriBuilder().path("api/v1/cases").path(v.caseId()).build()).entity(v).build());
    }

    @GET
    @Operation(summary = "List cases, newest first")
    public Uni<List<AuditCase>> list(
            @Parameter(description = "12-character pharmacy code") @QueryParam("pharmacyCode") String pharmacyCode,
            @Parameter(description = "OPEN, CONFIRMED or DISMISSED") @QueryParam("status") String status,
            @Parameter(description = "at most this many cases (1-1000, default 100)") @QueryParam("limit") String limit) {
        List<Problem.FieldError> errors = new ArrayList<>();
        CaseStatus s = status(status, errors);
        int n = limit(limit, errors);
        fail(errors);
        return cases.list(blankToNull(pharmacyCode), s, n);
    }

    @GET
    @Path("/settlements")
    @RolesAllowed({"auditor", "finance-maker", "finance-checker"})
    @Operation(summary = "Settlements behind cases, for payment review (SET-03)",
            description = "status=OPEN: withheld until their case closes; status=CONFIRMED: never paid, or recovered if already"
                    + " paid; status=DISMISSED: released. A settlement may appear under several cases.")
    public Uni<List<CaseSettlement>> settlements(
            @Parameter(description = "OPEN, CONFIRMED or DISMISSED", required = true) @QueryParam("status") String status,
            @Parameter(description = "12-character pharmacy code") @QueryParam("pharmacyCode") String pharmacyCode) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (status == null || status.isBlank()) {
            errors.add(new Problem.FieldError("status", "is required: OPEN, CONFIRMED or DISMISSED"));
        }
        CaseStatus s = status(status, errors);
        fail(errors);
        return cases.settlements(s, blankToNull(pharmacyCode));
    }

    @GET
    @Path("/{caseId}")
    @Operation(summary = "One case with its alerts, settlements, history and sanction")
    @APIResponse(responseCode = "200", description = "the case", content = @Content(schema = @Schema(implementation = CaseView.class)))
    @APIResponse(responseCode = "404", description = "no such case",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CaseView> get(@PathParam("caseId") String caseId) {
        return cases.view(caseId).map(v -> v.orElseThrow(() -> ProblemException.notFound("no case " + caseId)));
    }

    @POST
    @Path("/{caseId}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a note, and optionally a reference to evidence, to an open case")
    @APIResponse(responseCode = "201", description = "the recorded step", content = @Content(schema = @Schema(implementation = CaseEvent.class)))
    @APIResponse(responseCode = "409", description = "CASE_CLOSED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<CaseEvent>> addNote(@PathParam("caseId") String caseId, CaseRequests.AddNote body,
                                                @Context SecurityContext sc) {
        CaseRequests.Note note = CaseRequests.note(body);
        return cases.addNote(user(sc), caseId, note).map(e -> RestResponse.status(RestResponse.Status.CREATED, e));
    }

    @POST
    @Path("/{caseId}/close")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close a case as CONFIRMED or DISMISSED (AUD-20)",
            description = "CONFIRMED needs violatingAmount and category (a behaviour type), and may carry penaltyAmount and"
                    + " reason; it must be done by another auditor than the one who opened the case (SEC-03) and requests the"
                    + " AUD-21 sanction on audit.sanctions. DISMISSED needs a reason, may be done by any auditor, and sanctions nothing.")
    @APIResponse(responseCode = "200", description = "the closed case, with its sanction if confirmed",
            content = @Content(schema = @Schema(implementation = CaseView.class)))
    @APIResponse(responseCode = "403", description = "SEGREGATION_OF_DUTIES: the opener tried to confirm (SEC-03)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "CASE_ALREADY_CLOSED",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CaseView> close(@PathParam("caseId") String caseId, CaseRequests.CloseCase body, @Context SecurityContext sc) {
        CaseRequests.Closing closing = CaseRequests.closing(body);
        return cases.close(user(sc), caseId, closing);
    }

    private static String user(SecurityContext sc) {
        if (sc.getUserPrincipal() == null || sc.getUserPrincipal().getName() == null || sc.getUserPrincipal().getName().isBlank()) {
            // who did it is part of the record (SEC-04): an anonymous role holder cannot act
            throw new ProblemException(Problem.of(403, "Forbidden", "the token names no user"));
        }
        return sc.getUserPrincipal().getName();
    }

    private static CaseStatus status(String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return CaseStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("status", "must be OPEN, CONFIRMED or DISMISSED"));
            return null;
        }
    }

    private static int limit(String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return AlertResource.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= AlertResource.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new Problem.FieldError("limit", "must be a whole number from 1 to " + AlertResource.MAX_LIMIT));
        return AlertResource.DEFAULT_LIMIT;
    }

    private static void fail(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the query has " + errors.size() + " invalid parameter(s)", errors);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
