package cn.pharmacyclaims.agreement.ban;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** AGR-12 reapplication bans and the AGR-01 dishonest-party list. Identity numbers are shown masked (AUD-23). */
@Path("/api/v1")
@Tag(name = "Bans", description = "Reapplication bans (AGR-12) and the dishonest-party list (AGR-01)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BanResource {
    private final BanService service;
    private final SecurityIdentity identity;

    public BanResource(BanService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @POST
    @Path("bans")
    @RolesAllowed("agency-officer")
    @Operation(summary = "Record a reapplication ban by hand (AGR-12), e.g. the 5-year ban of a key person")
    public Uni<Response> record(BanService.BanRequest body) {
        return service.record(body, StaffPrincipal.of(identity)).map(b -> Response.status(201).entity(b).build());
    }

    @GET
    @Path("bans")
    @RolesAllowed({"agency-officer", "auditor", "admin"})
    @Operation(summary = "Bans arising from one pharmacy (its own, and those of its key persons)")
    public Uni<List<Ban>> list(@QueryParam("pharmacyCode") String pharmacyCode) {
        return service.ofPharmacy(pharmacyCode == null ? "" : pharmacyCode);
    }

    @POST
    @Path("admin/dishonest-parties")
    @RolesAllowed("admin")
    @Operation(summary = "Import the dishonest-party list (AGR-01): listed parties' applications are refused")
    public Uni<BanService.ImportAnswer> importDishonest(List<DishonestPartyRow> rows) {
        return service.importDishonest(rows, StaffPrincipal.of(identity));
    }
}
