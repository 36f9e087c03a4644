package cn.pharmacyclaims.agreement.keychange;

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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** AGR-06 key-information changes of a pharmacy (role agency-officer). */
@Path("/api/v1/pharmacies/{code}/key-changes")
@Tag(name = "Key-information changes", description = "AGR-06: filing within 30 working days of approval")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KeyChangeResource {
    private final KeyChangeService service;
    private final SecurityIdentity identity;

    public KeyChangeResource(KeyChangeService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @POST
    @RolesAllowed("agency-officer")
    @Operation(summary = "Record a key-information change approved by the authority; its filing deadline is computed on the statutory calendar")
    public Uni<Response> record(@PathParam("code") String code, KeyChangeService.KeyChangeRequest body) {
        return service.record(code, body, StaffPrincipal.of(identity)).map(k -> Response.status(201).entity(k).build());
    }

    @GET
    @RolesAllowed({"agency-officer", "auditor", "admin"})
    @Operation(summary = "The pharmacy's key-information changes with their filing deadlines")
    public Uni<List<KeyChangeView>> list(@PathParam("code") String code) {
        return service.list(code);
    }

    @POST
    @Path("{id}/filed")
    @RolesAllowed("agency-officer")
    @Operation(summary = "Record that the pharmacy filed the change (a late filing remains a termination ground)")
    public Uni<KeyChangeView> filed(@PathParam("code") String code, @PathParam("id") long id, KeyChangeService.FilingRequest body) {
        return service.file(code, id, body, StaffPrincipal.of(identity));
    }
}
