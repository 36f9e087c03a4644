package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.util.List;

/**
 * The published lists (no authentication): designated pharmacies the insured may choose from
 * (AGR-04: name and address of signed pharmacies), and terminated pharmacies (AGR-09).
 */
@Path("/api/v1/public/pharmacies")
@Tag(name = "Public", description = "Published lists of designated and terminated pharmacies")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class PublicPharmacyResource {
    /** ACTIVE and SETTLEMENT_HOLD hold a running agreement (a hold stops disbursement, not designation, AGR-08). */
    static final List<PharmacyStatus> DESIGNATED = List.of(PharmacyStatus.ACTIVE, PharmacyStatus.SETTLEMENT_HOLD);

    public record PublicPharmacy(String code, String name, String address, String regionCode, PharmacyStatus status,
                                 LocalDate validTo) {
    }

    public record TerminatedPharmacy(String code, String name, String address, String regionCode, PharmacyStatus status,
                                     LocalDate terminatedOn) {
    }

    private final Pool pool;
    private final PharmacyStore store;

    public PublicPharmacyResource(Pool pool, PharmacyStore store) {
        this.pool = pool;
        this.store = store;
    }

    @GET
    @Operation(summary = "Designated pharmacies (AGR-04), optionally of one region")
    public Uni<List<PublicPharmacy>> designated(@QueryParam("regionCode") String regionCode) {
        return store.listByStatus(pool, DESIGNATED, region(regionCode)).map(list -> list.stream()
                .map(s -> new PublicPharmacy(s.code(), s.pharmacy().name(), s.pharmacy().address(), s.agreement().regionCode(),
                        s.agreement().status(), s.agreement().validTo()))
                .toList());
    }

    @GET
    @Path("terminated")
    @Operation(summary = "Pharmacies whose agreement was terminated (AGR-09), optionally of one region")
    public Uni<List<TerminatedPharmacy>> terminated(@QueryParam("regionCode") String regionCode) {
        return store.listByStatus(pool, List.of(PharmacyStatus.TERMINATED), region(regionCode)).map(list -> list.stream()
                .map(s -> new TerminatedPharmacy(s.code(), s.pharmacy().name(), s.pharmacy().address(), s.agreement().regionCode(),
                        s.agreement().status(), s.agreement().statusChangedAt().toLocalDate()))
                .toList());
    }

    private static String region(String regionCode) {
        if (regionCode == null || regionCode.isEmpty()) {
            return null;
        }
        if (!ImportValidator.REGION.matcher(regionCode).matches()) {
            throw ProblemException.badRequest("invalid query", List.of(new Problem.FieldError("regionCode", "must be a 6-digit region code")));
        }
        return regionCode;
    }
}
