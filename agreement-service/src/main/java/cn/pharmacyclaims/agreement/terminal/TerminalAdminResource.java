package cn.pharmacyclaims.agreement.terminal;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import cn.pharmacyclaims.agreement.terminal.TerminalViews.IssuedSecret;
import cn.pharmacyclaims.agreement.terminal.TerminalViews.RevokeRequest;
import cn.pharmacyclaims.agreement.terminal.TerminalViews.TerminalView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Secret rotation and revocation of a registered terminal (SEC-01), role {@code admin}. */
@Path("/api/v1/admin/terminals/{terminalId}")
@Tag(name = "Admin: terminals")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class TerminalAdminResource {
    private final TerminalService terminals;
    private final SecurityIdentity identity;

    public TerminalAdminResource(TerminalService terminals, SecurityIdentity identity) {
        this.terminals = terminals;
        this.identity = identity;
    }

    @POST
    @Path("rotate")
    @Operation(summary = "Issue a new secret (shown only in this answer); 404 unknown, 409 revoked terminal")
    public Uni<IssuedSecret> rotate(@PathParam("terminalId") String terminalId) {
        return terminals.rotate(terminalId, StaffPrincipal.of(identity));
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke the terminal: the gateway refuses its requests once it has the event; optional body {\"reason\": \"...\"}")
    public Uni<TerminalView> revoke(@PathParam("terminalId") String terminalId, RevokeRequest body) {
        return terminals.revoke(terminalId, body == null ? null : body.reason(), StaffPrincipal.of(identity));
    }

    /** The same without a body (no JSON content type). */
    @POST
    @Path("revoke")
    @Operation(hidden = true)
    public Uni<TerminalView> revokeWithoutBody(@PathParam("terminalId") String terminalId) {
        return terminals.revoke(terminalId, null, StaffPrincipal.of(identity));
    }
}
