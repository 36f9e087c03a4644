package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.Source;
import cn.pharmacyclaims.agreement.lifecycle.LifecycleRequests.ReasonRequest;
import cn.pharmacyclaims.agreement.lifecycle.LifecycleRequests.SuspendRequest;
import cn.pharmacyclaims.agreement.lifecycle.LifecycleRequests.TerminateRequest;
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

/**
 * Agency officers run the agreement lifecycle (SEC-02 role {@code agency-officer}). Every action
 * needs a reason and is recorded with the officer and the time (SEC-04); an action the current
 * status does not allow answers 409 naming the status and the action.
 */
@Path("/api/v1/pharmacies/{code}")
@Tag(name = "Agreement lifecycle", description = "Suspension, settlement hold and termination of pharmacy agreements (AGR-07..09)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LifecycleResource {
    private static final String OFFICER = "agency-officer";

    private final LifecycleService service;
    private final SecurityIdentity identity;

    public LifecycleResource(LifecycleService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({OFFICER, "auditor", "admin"})
    @Operation(summary = "A pharmacy's current agreement state and its full status history (SEC-04)")
    public Uni<PharmacyView> get(@PathParam("code") String code) {
        return service.view(code);
    }

    @POST
    @Path("suspend")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Suspend the agreement (AGR-07); the Nth suspension in one term terminates it instead (AGR-09)")
    public Uni<PharmacyView> suspend(@PathParam("code") String code, SuspendRequest body) {
        String reason = LifecycleRequests.reason(body == null ? null : body.reason());
        boolean requested = body.requestedByPharmacy() != null && body.requestedByPharmacy();
        return service.suspend(code, requested, cause(reason));
    }

    @POST
    @Path("resume")
    @RolesAllowed(OFFICER)
    @Operation(summary = "End a suspension (AGR-07): back to ACTIVE, or to SETTLEMENT_HOLD if a hold is still in place")
    public Uni<PharmacyView> resume(@PathParam("code") String code, ReasonRequest body) {
        return service.resume(code, cause(LifecycleRequests.reason(body == null ? null : body.reason())));
    }

    @POST
    @Path("settlement-hold")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Put settlement on hold (AGR-08): nothing is disbursed until the hold is lifted")
    public Uni<PharmacyView> hold(@PathParam("code") String code, ReasonRequest body) {
        return service.hold(code, cause(LifecycleRequests.reason(body == null ? null : body.reason())));
    }

    @POST
    @Path("lift-hold")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Lift a settlement hold (AGR-08)")
    public Uni<PharmacyView> liftHold(@PathParam("code") String code, ReasonRequest body) {
        return service.liftHold(code, cause(LifecycleRequests.reason(body == null ? null : body.reason())));
    }

    @POST
    @Path("terminate")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Terminate the agreement (AGR-09): final, the pharmacy joins the published terminated list")
    public Uni<PharmacyView> terminate(@PathParam("code") String code, TerminateRequest body) {
        TerminationGround ground = LifecycleRequests.ground(body);
        return service.terminate(code, ground, cause(body.reason().strip()));
    }

    private Cause cause(String reason) {
        return new Cause(StaffPrincipal.of(identity), Source.STAFF, reason);
    }
}
