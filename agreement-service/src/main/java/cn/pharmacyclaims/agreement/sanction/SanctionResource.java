package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** AUD-21 sanctions as applied to a pharmacy. */
@Path("/api/v1/pharmacies/{code}/sanctions")
@Tag(name = "Sanctions", description = "AUD-21 sanctions received from audit and applied to agreements")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SanctionResource {
    private final SanctionService service;
    private final SecurityIdentity identity;

    public SanctionResource(SanctionService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({"agency-officer", "auditor", "admin"})
    @Operation(summary = "Sanctions received for the pharmacy, applied or recorded as not applicable")
    public Uni<List<SanctionView>> list(@PathParam("code") String code) {
        return service.list(code);
    }

    @POST
    @Path("{sanctionId}/rectified")
    @RolesAllowed("agency-officer")
    @Operation(summary = "Record that the rectification set with an interview is done (meets its deadline)")
    public Uni<SanctionView> rectified(@PathParam("code") String code, @PathParam("sanctionId") String sanctionId,
                                       SanctionService.RectifiedRequest body) {
        return service.rectified(code, sanctionId, body, StaffPrincipal.of(identity));
    }
}
