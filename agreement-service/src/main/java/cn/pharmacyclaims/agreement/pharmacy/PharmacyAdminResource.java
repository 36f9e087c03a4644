package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.StaffPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Reference-data import of already-designated pharmacies (POS-API.md section 4), role {@code admin}. */
@Path("/api/v1/admin/pharmacies")
@Tag(name = "Admin: pharmacies", description = "Bulk import of designated pharmacies and their agreements")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PharmacyAdminResource {
    private final PharmacyImportService imports;
    private final SecurityIdentity identity;

    public PharmacyAdminResource(PharmacyImportService imports, SecurityIdentity identity) {
        this.imports = imports;
        this.identity = identity;
    }

    @POST
    @RolesAllowed("admin")
    @Operation(summary = "Upsert pharmacies with their agreements",
            description = "A bad row rejects the whole call (400 problem listing every bad row and field, nothing stored); "
                    + "otherwise 200 with the counts. Each created or changed pharmacy is published on agreement.pharmacy-status.")
    public Uni<ImportResult> importPharmacies(List<PharmacyImportRow> rows) {
        return imports.importRows(rows, StaffPrincipal.of(identity));
    }
}
