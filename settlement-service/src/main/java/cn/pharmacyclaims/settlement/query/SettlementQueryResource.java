package cn.pharmacyclaims.settlement.query;

import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;
import cn.pharmacyclaims.settlement.claim.ClaimProcessor;
import cn.pharmacyclaims.settlement.claim.SettlementStore;
import cn.pharmacyclaims.settlement.claim.StoredSettlement;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Internal query API for the gateway (it serves the POS's {@code GET /api/v1/settlements...} and
 * the PENDING poll from here). The gateway has authenticated the terminal and passes its pharmacy:
 * a settlement of another pharmacy answers 404 exactly like an unknown one (SEC-02).
 */
@Path("/api/v1/settlements")
@Tag(name = "Settlement query (internal)", description = "Current result of a settlement, for pharmacy-gateway")
@Produces(MediaType.APPLICATION_JSON)
public class SettlementQueryResource {

    private final Pool pool;
    private final SettlementStore store;
    private final SettlementConfig config;

    public SettlementQueryResource(Pool pool, SettlementStore store, SettlementConfig config) {
        this.pool = pool;
        this.store = store;
        this.config = config;
    }

    @GET
    @Path("/{setlId}")
    @Operation(summary = "The current result of a settlement, by setlId, for the pharmacy that owns it")
    public Uni<SettlementResult> bySetlId(@PathParam("setlId") String setlId, @QueryParam("pharmacyCode") String pharmacyCode) {
        require(List.of(), pharmacyCode);
        return pool.withConnection(conn -> store.bySetlId(conn, setlId, false))
                .map(s -> owned(s, pharmacyCode, "settlement " + setlId + " not found").currentResult());
    }

    @GET
    @Operation(summary = "The current result of a request, by its msgId, for the pharmacy that sent it",
            description = "A msgId reversed before it arrived answers status REVERSED without setlId (CLM-15).")
    public Uni<SettlementResult> byMsgId(@QueryParam("msgId") String msgId, @QueryParam("pharmacyCode") String pharmacyCode) {
        List<Problem.FieldError> missing = new ArrayList<>();
        if (msgId == null || msgId.isBlank()) {
            missing.add(new Problem.FieldError("msgId", "is required"));
        }
        require(missing, pharmacyCode);
        String notFound = "no settlement with msgId " + msgId;
        return pool.withConnection(conn -> store.byMsgId(conn, msgId, false)
                .chain(s -> {
                    if (s != null) {
                        return Uni.createFrom().item(owned(s, pharmacyCode, notFound).currentResult());
                    }
                    return store.reversalMarkerRow(conn, msgId).map(marker -> {
                        if (marker == null || !pharmacyCode.equals(marker.getString("pharmacy_code"))) {
                            throw ProblemException.notFound(notFound);
                        }
                        return ClaimProcessor.reversedBeforeArrivalResult(msgId,
                                marker.getOffsetDateTime("created_at").atZoneSameInstant(config.zone()).toOffsetDateTime());
                    });
                }));
    }

    private static void require(List<Problem.FieldError> errors, String pharmacyCode) {
        List<Problem.FieldError> all = new ArrayList<>(errors);
        if (pharmacyCode == null || pharmacyCode.isBlank()) {
            all.add(new Problem.FieldError("pharmacyCode", "is required: a pharmacy sees only its own settlements (SEC-02)"));
        }
        if (!all.isEmpty()) {
            throw ProblemException.badRequest("missing query parameter(s)", all);
        }
    }

    private static StoredSettlement owned(StoredSettlement s, String pharmacyCode, String notFound) {
        if (s == null || !Objects.equals(s.pharmacyCode(), pharmacyCode)) {
            throw ProblemException.notFound(notFound);
        }
        return s;
    }
}
