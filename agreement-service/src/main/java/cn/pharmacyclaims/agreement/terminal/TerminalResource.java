package cn.pharmacyclaims.agreement.terminal;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import cn.pharmacyclaims.agreement.terminal.TerminalViews.IssuedSecret;
import cn.pharmacyclaims.agreement.terminal.TerminalViews.RegisterRequest;
import cn.pharmacyclaims.agreement.terminal.TerminalViews.TerminalView;
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

/** Registration of a pharmacy's POS terminals (SEC-01, POS-API.md section 4), role {@code admin}. */
@Path("/api/v1/admin/pharmacies/{code}/terminals")
@Tag(name = "Admin: terminals", description = "POS terminal registration, secret rotation and revocation (SEC-01)")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class TerminalResource {
    private final TerminalService terminals;
    private final SecurityIdentity identity;

    public TerminalResource(TerminalService terminals, SecurityIdentity identity) {
        this.terminals = terminals;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a terminal to the pharmacy; answers its secret, shown only here",
            description = "terminalId is optional (generated when absent). 404 unknown pharmacy, 409 terminal id held by another pharmacy.")
    public Uni<IssuedSecret> register(@PathParam("code") String code, RegisterRequest body) {
        return terminals.register(code, body == null ? null : body.terminalId(), StaffPrincipal.of(identity));
    }

    /** The same without a body (no JSON content type): the terminal id is generated. */
    @POST
    @Operation(hidden = true)
    public Uni<IssuedSecret> registerWithoutBody(@PathParam("code") String code) {
        return terminals.register(code, null, StaffPrincipal.of(identity));
    }

    @GET
    @Operation(summary = "The pharmacy's terminals, without secrets")
    public Uni<List<TerminalView>> list(@PathParam("code") String code) {
        return terminals.list(code);
    }
}
