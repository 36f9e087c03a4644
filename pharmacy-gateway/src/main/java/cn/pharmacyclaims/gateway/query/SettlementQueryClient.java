package cn.pharmacyclaims.gateway.query;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * settlement-service's internal query API (config {@code quarkus.rest-client.settlement.url}).
 * {@code pharmacyCode} is always the signing terminal's pharmacy: a pharmacy sees only its own
 * settlements (SEC-02). Responses come back raw, so 200 and 404 pass through unchanged.
 */
@RegisterRestClient(configKey = "settlement")
@Path("/api/v1/settlements")
@Produces(MediaType.APPLICATION_JSON)
public interface SettlementQueryClient {

    @GET
    @Path("/{setlId}")
    Uni<Response> bySetlId(@PathParam("setlId") String setlId, @QueryParam("pharmacyCode") String pharmacyCode);

    @GET
    Uni<Response> byMsgId(@QueryParam("msgId") String msgId, @QueryParam("pharmacyCode") String pharmacyCode);
}
