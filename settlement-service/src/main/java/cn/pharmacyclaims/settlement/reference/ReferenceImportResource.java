package cn.pharmacyclaims.settlement.reference;

import cn.pharmacyclaims.platform.web.ProblemException;
import cn.pharmacyclaims.settlement.reference.ImportRows.CatalogueRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.ImportResult;
import cn.pharmacyclaims.settlement.reference.ImportRows.InstitutionRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PersonRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PolicyRow;
import cn.pharmacyclaims.settlement.reference.ImportRows.PrescriptionRow;
import cn.pharmacyclaims.settlement.reference.ImportValidator.Validated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Function;

/**
 * Reference data import (POS-API.md §4), role {@code admin} (SEC-02): bulk upserts as JSON arrays.
 * A bad row rejects the whole call with a 400 problem naming every bad row and field, and nothing
 * is stored; a good call answers 200 with the counts.
 */
@Path("/api/v1/admin")
@Tag(name = "Reference data import", description = "Catalogue, persons, institutions, policies and e-prescriptions (role admin)")
@RolesAllowed("admin")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ReferenceImportResource {
    private static final Logger LOG = Logger.getLogger(ReferenceImportResource.class);

    private final ReferenceImporter importer;

    public ReferenceImportResource(ReferenceImporter importer) {
        this.importer = importer;
    }

    @POST
    @Path("/catalogue")
    @Operation(summary = "Upsert catalogue items (class A, B, C or NON_MEDICAL; Rx flag; payment standard; chronic diseases)")
    public Uni<ImportResult> catalogue(List<CatalogueRow> rows) {
        return store("catalogue", ImportValidator.catalogue(rows), importer::catalogue);
    }

    @POST
    @Path("/persons")
    @Operation(summary = "Upsert insured persons with credentials, chronic registrations and account balance",
            description = "An import is a migration of the agency's registry, not a payment: accountBalance sets the "
                    + "balance as the registry holds it; absent, the balance held is kept (0.00 for a new person).")
    public Uni<ImportResult> persons(List<PersonRow> rows) {
        return store("persons", ImportValidator.persons(rows), importer::persons);
    }

    @POST
    @Path("/institutions")
    @Operation(summary = "Upsert medical institutions (designated or not) and their physicians")
    public Uni<ImportResult> institutions(List<InstitutionRow> rows) {
        return store("institutions", ImportValidator.institutions(rows), importer::institutions);
    }

    @POST
    @Path("/policies")
    @Operation(summary = "Upsert effective-dated regional policies",
            description = "One row per region and effective date; a sale uses the row with the greatest effectiveFrom on or "
                    + "before its sale date. Optional extensions: holdAllowsSettlement (false), maxRxItems (5), maxRxValidDays (3).")
    public Uni<ImportResult> policies(List<PolicyRow> rows) {
        return store("policies", ImportValidator.policies(rows), importer::policies);
    }

    @POST
    @Path("/prescriptions")
    @Operation(summary = "Register electronic prescriptions (CLM-06 e-prescription registry)",
            description = "Rows {rxNo, institutionCode, physicianCode, patientPsnNo, issuedAt (ISO-8601 with offset), "
                    + "validDays (optional, 1), items: [{itemCode, quantity}]}; a row replaces the prescription's header "
                    + "and items. A settlement on a registered electronic prescription must name its institution, "
                    + "physician and patient, is valid from its issue time, and dispenses only its items up to the "
                    + "quantities prescribed (RX_ITEM_NOT_PRESCRIBED); an unregistered one is checked on the request alone.")
    public Uni<ImportResult> prescriptions(List<PrescriptionRow> rows) {
        return store("prescriptions", ImportValidator.prescriptions(rows), importer::prescriptions);
    }

    private static <T> Uni<ImportResult> store(String what, Validated<T> v, Function<List<T>, Uni<ImportResult>> write) {
        if (!v.ok()) {
            throw ProblemException.badRequest("the import has " + v.errors().size() + " error(s); nothing was stored", v.errors());
        }
        return write.apply(v.rows()).invoke(r -> LOG.infof("imported %s: %d received, %d created, %d updated",
                what, r.received(), r.created(), r.updated()));
    }
}
