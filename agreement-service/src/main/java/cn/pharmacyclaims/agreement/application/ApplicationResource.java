package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import cn.pharmacyclaims.agreement.application.ApplicationRequests.ApplicationRequest;
import cn.pharmacyclaims.agreement.application.ApplicationRequests.StepRequest;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

/**
 * Applications for designation and renewal (AGR-01 .. AGR-05), run by agency officers. Every step
 * records who, when and why (SEC-04); a step the status does not allow answers 409 naming both.
 */
@Path("/api/v1/applications")
@Tag(name = "Applications", description = "Designation and renewal applications: acceptance, notice, evaluation, signing (AGR-01..05)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApplicationResource {
    private static final String OFFICER = "agency-officer";

    private final ApplicationService service;
    private final SecurityIdentity identity;

    public ApplicationResource(ApplicationService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(OFFICER)
    @Operation(summary = "Record a received application (AGR-01)",
            description = "422 naming each unmet precondition; 409 APPLICANT_BARRED when the pharmacy, its legal representative or actual "
                    + "controller is banned (AGR-12) or listed as dishonest; 409 RENEWAL_WINDOW_NOT_OPEN before the AGR-05 window. "
                    + "Accepted: 201 with the AGR-02 notice and AGR-03 evaluation deadlines.")
    public Uni<Response> submit(ApplicationRequest body) {
        return service.submit(body, StaffPrincipal.of(identity))
                .map(v -> Response.created(URI.create("/api/v1/applications/" + v.id())).entity(v).build());
    }

    @GET
    @RolesAllowed({OFFICER, "auditor", "admin"})
    @Operation(summary = "Applications of a pharmacy")
    public Uni<List<ApplicationView.Summary>> list(@QueryParam("pharmacyCode") String pharmacyCode) {
        return service.list(pharmacyCode == null ? "" : pharmacyCode);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({OFFICER, "auditor", "admin"})
    @Operation(summary = "An application with its deadlines and full history")
    public Uni<ApplicationView> get(@PathParam("id") long id) {
        return service.get(id);
    }

    @POST
    @Path("{id}/materials-complete")
    @RolesAllowed(OFFICER)
    @Operation(summary = "AGR-02: the materials are complete (meets the notice deadline); optional confirmedOn")
    public Uni<ApplicationView> complete(@PathParam("id") long id, StepRequest body) {
        return step(id, ApplicationAction.CONFIRM_COMPLETE, body);
    }

    @POST
    @Path("{id}/incomplete-notice")
    @RolesAllowed(OFFICER)
    @Operation(summary = "AGR-02: one notice listing everything missing (missingItems, optional issuedOn); stops the evaluation clock")
    public Uni<ApplicationView> notice(@PathParam("id") long id, StepRequest body) {
        return step(id, ApplicationAction.NOTICE_INCOMPLETE, body);
    }

    @POST
    @Path("{id}/supplement")
    @RolesAllowed(OFFICER)
    @Operation(summary = "AGR-03: supplemented materials received (optional receivedOn); the evaluation deadline moves by the time taken")
    public Uni<ApplicationView> supplement(@PathParam("id") long id, StepRequest body) {
        return step(id, ApplicationAction.SUPPLEMENT_RECEIVED, body);
    }

    @POST
    @Path("{id}/evaluation")
    @RolesAllowed(OFFICER)
    @Operation(summary = "AGR-03: evaluation result PASS or FAIL with reasons (optional deliveredOn); a second FAIL bans for a year (AGR-12)")
    public Uni<ApplicationView> evaluation(@PathParam("id") long id, StepRequest body) {
        return step(id, ApplicationAction.EVALUATE, body);
    }

    @POST
    @Path("{id}/re-evaluation")
    @RolesAllowed(OFFICER)
    @Operation(summary = "AGR-03: re-evaluate a FAIL, not before 3 months after its delivery")
    public Uni<ApplicationView> reEvaluation(@PathParam("id") long id, StepRequest body) {
        return step(id, ApplicationAction.RE_EVALUATE, body);
    }

    @POST
    @Path("{id}/sign")
    @RolesAllowed(OFFICER)
    @Operation(summary = "AGR-04: sign a PASS; a new agreement starts today, a renewal's term when the current one ends (AGR-05)")
    public Uni<ApplicationView> sign(@PathParam("id") long id, StepRequest body) {
        return step(id, ApplicationAction.SIGN, body);
    }

    @POST
    @Path("{id}/decline")
    @RolesAllowed(OFFICER)
    @Operation(summary = "AGR-04: the negotiation of a PASS failed (reason required)")
    public Uni<ApplicationView> decline(@PathParam("id") long id, StepRequest body) {
        return step(id, ApplicationAction.DECLINE, body);
    }

    @POST
    @Path("{id}/withdraw")
    @RolesAllowed(OFFICER)
    @Operation(summary = "The applicant withdraws (reason required); not after a FAIL")
    public Uni<ApplicationView> withdraw(@PathParam("id") long id, StepRequest body) {
        return step(id, ApplicationAction.WITHDRAW, body);
    }

    private Uni<ApplicationView> step(long id, ApplicationAction action, StepRequest body) {
        return service.step(id, action, body, StaffPrincipal.of(identity));
    }
}
