package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import cn.pharmacyclaims.agreement.history.Cause;
import cn.pharmacyclaims.agreement.history.Source;
import cn.pharmacyclaims.agreement.lifecycle.LifecycleRequests.AddAgreementRequest;
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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Agency officers run the agreement lifecycle (SEC-02 role {@code agency-officer}). Every action
 * needs a reason and is recorded with the officer and the time (SEC-04); an action the current
 * status does not allow answers 409 naming the status and the action. {@code regionCode} selects
 * the region's agreement (default the home region); {@code agencyLevel} PREFECTURE or PROVINCE
 * makes a suspension or termination reach every other region (AGR-10).
 */
@Path("/api/v1/pharmacies/{code}")
@Tag(name = "Agreement lifecycle", description = "Suspension, settlement hold, termination and regions of pharmacy agreements (AGR-07..10)")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LifecycleResource {
    private static final String OFFICER = "agency-officer";

    private final LifecycleService service;
    private final AgreementConfig config;
    private final SecurityIdentity identity;

    public LifecycleResource(LifecycleService service, AgreementConfig config, SecurityIdentity identity) {
        this.service = service;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({OFFICER, "auditor", "admin"})
    @Operation(summary = "A pharmacy's agreements (every region), full history (SEC-04), deadlines, key changes, sanctions, bans, disputes")
    public Uni<PharmacyView> get(@PathParam("code") String code) {
        return service.view(code);
    }

    @POST
    @Path("suspend")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Suspend the agreement (AGR-07); the Nth suspension in one term terminates it instead (AGR-09); "
            + "PREFECTURE/PROVINCE level reaches every other region (AGR-10)")
    public Uni<PharmacyView> suspend(@PathParam("code") String code, SuspendRequest body) {
        String reason = LifecycleRequests.reason(body == null ? null : body.reason());
        boolean requested = body.requestedByPharmacy() != null && body.requestedByPharmacy();
        return service.suspend(code, LifecycleRequests.region(body.regionCode()), requested, LifecycleRequests.requestedOn(body.requestedOn()),
                LifecycleRequests.level(body.agencyLevel(), config.defaultAgencyLevel()), cause(reason));
    }

    @POST
    @Path("resume")
    @RolesAllowed(OFFICER)
    @Operation(summary = "End a suspension (AGR-07): back to ACTIVE, or to SETTLEMENT_HOLD if a hold is still in place")
    public Uni<PharmacyView> resume(@PathParam("code") String code, ReasonRequest body) {
        String reason = LifecycleRequests.reason(body == null ? null : body.reason());
        return service.resume(code, LifecycleRequests.region(body.regionCode()), cause(reason));
    }

    @POST
    @Path("settlement-hold")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Put settlement on hold (AGR-08): nothing is disbursed until the hold is lifted")
    public Uni<PharmacyView> hold(@PathParam("code") String code, ReasonRequest body) {
        String reason = LifecycleRequests.reason(body == null ? null : body.reason());
        return service.hold(code, LifecycleRequests.region(body.regionCode()), cause(reason));
    }

    @POST
    @Path("lift-hold")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Lift a settlement hold (AGR-08), e.g. once the pharmacy has rectified")
    public Uni<PharmacyView> liftHold(@PathParam("code") String code, ReasonRequest body) {
        String reason = LifecycleRequests.reason(body == null ? null : body.reason());
        return service.liftHold(code, LifecycleRequests.region(body.regionCode()), cause(reason));
    }

    @POST
    @Path("terminate")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Terminate the agreement (AGR-09): final, the pharmacy joins the published terminated list; "
            + "PREFECTURE/PROVINCE level reaches every other region (AGR-10); the ground's ban is recorded (AGR-12)")
    public Uni<PharmacyView> terminate(@PathParam("code") String code, TerminateRequest body) {
        TerminationGround ground = LifecycleRequests.ground(body);
        return service.terminate(code, LifecycleRequests.region(body.regionCode()), ground, LifecycleRequests.requestedOn(body.requestedOn()),
                LifecycleRequests.level(body.agencyLevel(), config.defaultAgencyLevel()), cause(body.reason().strip()));
    }

    @POST
    @Path("agreements")
    @RolesAllowed(OFFICER)
    @Operation(summary = "Record the pharmacy's agreement in an additional region (AGR-10)")
    public Uni<Response> addAgreement(@PathParam("code") String code, AddAgreementRequest body) {
        LifecycleRequests.NewAgreement n = LifecycleRequests.newAgreement(body);
        return service.addAgreement(code, n, cause(n.reason())).map(v -> Response.status(201).entity(v).build());
    }

    private Cause cause(String reason) {
        return new Cause(StaffPrincipal.of(identity), Source.STAFF, reason);
    }
}
