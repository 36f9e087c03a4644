package cn.pharmacyclaims.agreement.dispute;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** AGR-13 disputes (role agency-officer); listed in the pharmacy view. */
@Path("/api/v1/pharmacies/{code}/disputes")
@Tag(name = "Disputes", description = "AGR-13: disputes recorded against decisions, never blocking them")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DisputeResource {
    private final DisputeService service;
    private final SecurityIdentity identity;

    public DisputeResource(DisputeService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @POST
    @RolesAllowed("agency-officer")
    @Operation(summary = "Record a dispute (negotiation, coordination, administrative review, lawsuit) against a decision")
    public Uni<Response> record(@PathParam("code") String code, DisputeService.DisputeRequest body) {
        return service.record(code, body, StaffPrincipal.of(identity)).map(d -> Response.status(201).entity(d).build());
    }
}
