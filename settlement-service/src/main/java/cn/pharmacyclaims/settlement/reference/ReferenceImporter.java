package cn.pharmacyclaims.settlement.reference;

import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.settlement.reference.ImportRows.ImportResult;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.CatalogueEntry;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.InstitutionEntry;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.PersonEntry;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.PolicyEntry;
import cn.pharmacyclaims.settlement.reference.ReferenceRecords.PrescriptionEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Stores validated import rows, each call in one transaction (all rows or none). Rows are upserts
 * keyed by their code; a person's credentials and chronic registrations and an institution's
 * physicians are replaced by the row's lists.
 */
@ApplicationScoped
public class ReferenceImporter {

    private final Pool pool;
    private final ReferenceData reference;

    public ReferenceImporter(Pool pool, ReferenceData reference) {
        this.pool = pool;
        this.reference = reference;
    }

    /** After the commit, this instance's cached items are dropped (other instances: within the cache TTL). */
    public Uni<ImportResult> catalogue(List<CatalogueEntry> rows) {
        return upsert(rows, CatalogueEntry::itemCode, "SELECT count(*) AS n FROM catalogue_item WHERE item_code = ANY($1)",
                conn -> conn.preparedQuery("""
                                INSERT INTO catalogue_item (item_code, name, spec, item_class, rx, payment_standard, chronic_diseases)
                                VALUES ($1, $2, $3, $4, $5, $6, $7)
                                ON CONFLICT (item_code) DO UPDATE SET name = EXCLUDED.name, spec = EXCLUDED.spec,
                                    item_class = EXCLUDED.item_class, rx = EXCLUDED.rx, payment_standard = EXCLUDED.payment_standard,
                                    chronic_diseases = EXCLUDED.chronic_diseases, updated_at = now()""")
                        .executeBatch(map(rows, r -> Tuple.from(new Object[]{r.itemCode(), r.name(), r.spec(),
                                r.itemClass().name(), r.rx(), r.paymentStandard(), r.chronicDiseases().toArray(new String[0])})))
                        .replaceWithVoid())
                .invoke(reference::catalogueChanged);
    }

    /**
     * Persons with their account. An import is a migration of the agency's registry, not a payment:
     * a row with {@code accountBalance} sets the balance as the registry holds it (no settlement,
     * no decision event); a row without it keeps the balance held (0.00 for a new person).
     */
    public Uni<ImportResult> persons(List<PersonEntry> rows) {
        String[] psnNos = rows.stream().map(PersonEntry::psnNo).toArray(String[]::new);
        List<Tuple> certs = new ArrayList<>();
        List<Tuple> chronic = new ArrayList<>();
        for (PersonEntry p : rows) {
            p.certNos().forEach(c -> certs.add(Tuple.of(p.psnNo(), c)));
            p.chronic().forEach(c -> chronic.add(Tuple.of(p.psnNo(), c.diseaseCode(), c.validFrom(), c.validTo())));
        }
        return upsert(rows, PersonEntry::psnNo, "SELECT count(*) AS n FROM person WHERE psn_no = ANY($1)",
                conn -> conn.preparedQuery("""
                                INSERT INTO person (psn_no, insurance_type, region_code, status, card_lost) VALUES ($1, $2, $3, $4, $5)
                                ON CONFLICT (psn_no) DO UPDATE SET insurance_type = EXCLUDED.insurance_type,
                                    region_code = EXCLUDED.region_code, status = EXCLUDED.status, card_lost = EXCLUDED.card_lost,
                                    updated_at = now()""")
                        .executeBatch(map(rows, r -> Tuple.of(r.psnNo(), r.insuranceType().name(), r.regionCode(),
                                r.status().name(), r.cardLost())))
                        .chain(() -> conn.preparedQuery("""
                                        INSERT INTO account (psn_no, balance) VALUES ($1, COALESCE($2::numeric, 0))
                                        ON CONFLICT (psn_no) DO UPDATE SET balance = COALESCE($2::numeric, account.balance), updated_at = now()""")
                                .executeBatch(map(rows, r -> Tuple.of(r.psnNo(), r.accountBalance()))))
                        .chain(() -> conn.preparedQuery("DELETE FROM person_cert WHERE psn_no = ANY($1)").execute(Tuple.of(psnNos)))
                        .chain(() -> certs.isEmpty() ? Uni.createFrom().voidItem()
                                : conn.preparedQuery("INSERT INTO person_cert (psn_no, cert_no) VALUES ($1, $2)").executeBatch(certs)
                                .replaceWithVoid())
                        .chain(() -> conn.preparedQuery("DELETE FROM chronic_registration WHERE psn_no = ANY($1)").execute(Tuple.of(psnNos)))
                        .chain(() -> chronic.isEmpty() ? Uni.createFrom().voidItem()
                                : conn.preparedQuery("INSERT INTO chronic_registration (psn_no, disease_code, valid_from, valid_to) VALUES ($1, $2, $3, $4)")
                                .executeBatch(chronic).replaceWithVoid())
                        .replaceWithVoid());
    }

    public Uni<ImportResult> institutions(List<InstitutionEntry> rows) {
        String[] codes = rows.stream().map(InstitutionEntry::institutionCode).toArray(String[]::new);
        List<Tuple> physicians = new ArrayList<>();
        rows.forEach(i -> i.physicians().forEach(ph -> physicians.add(Tuple.of(i.institutionCode(), ph))));
        return upsert(rows, InstitutionEntry::institutionCode, "SELECT count(*) AS n FROM institution WHERE institution_code = ANY($1)",
                conn -> conn.preparedQuery("""
                                INSERT INTO institution (institution_code, designated) VALUES ($1, $2)
                                ON CONFLICT (institution_code) DO UPDATE SET designated = EXCLUDED.designated, updated_at = now()""")
                        .executeBatch(map(rows, r -> Tuple.of(r.institutionCode(), r.designated())))
                        .chain(() -> conn.preparedQuery("DELETE FROM physician WHERE institution_code = ANY($1)").execute(Tuple.of(codes)))
                        .chain(() -> physicians.isEmpty() ? Uni.createFrom().voidItem()
                                : conn.preparedQuery("INSERT INTO physician (institution_code, physician_code) VALUES ($1, $2)")
                                .executeBatch(physicians).replaceWithVoid())
                        .replaceWithVoid());
    }

    /**
     * Policies are effective-dated: a row for a new date adds a version, a row for an existing date
     * replaces it. After the commit, this instance's cached policies are dropped.
     */
    public Uni<ImportResult> policies(List<PolicyEntry> rows) {
        return upsert(rows, r -> r.regionCode() + "@" + r.effectiveFrom(),
                "SELECT count(*) AS n FROM policy WHERE region_code || '@' || effective_from::text = ANY($1)",
                conn -> conn.preparedQuery("""
                                INSERT INTO policy (region_code, effective_from, max_days_supply, max_days_supply_chronic,
                                    refill_threshold, b_self_pay_ratio, account_covers_out_of_scope, outpatient_pooling_at_pharmacy,
                                    hold_allows_settlement, max_rx_items, max_rx_valid_days, benefits, chronic_caps)
                                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text::jsonb, $13::text::jsonb)
                                ON CONFLICT (region_code, effective_from) DO UPDATE SET
                                    max_days_supply = EXCLUDED.max_days_supply, max_days_supply_chronic = EXCLUDED.max_days_supply_chronic,
                                    refill_threshold = EXCLUDED.refill_threshold, b_self_pay_ratio = EXCLUDED.b_self_pay_ratio,
                                    account_covers_out_of_scope = EXCLUDED.account_covers_out_of_scope,
                                    outpatient_pooling_at_pharmacy = EXCLUDED.outpatient_pooling_at_pharmacy,
                                    hold_allows_settlement = EXCLUDED.hold_allows_settlement, max_rx_items = EXCLUDED.max_rx_items,
                                    max_rx_valid_days = EXCLUDED.max_rx_valid_days, benefits = EXCLUDED.benefits,
                                    chronic_caps = EXCLUDED.chronic_caps, updated_at = now()""")
                        .executeBatch(map(rows, r -> Tuple.from(new Object[]{r.regionCode(), r.effectiveFrom(),
                                r.maxDaysSupply(), r.maxDaysSupplyChronic(), r.refillThreshold(), r.bSelfPayRatio(),
                                r.accountCoversOutOfScope(), r.outpatientPoolingAtPharmacy(), r.holdAllowsSettlement(),
                                r.maxRxItems(), r.maxRxValidDays(), Json.write(PolicyJson.benefits(r.benefits())),
                                Json.write(PolicyJson.caps(r.chronicCaps()))})))
                        .replaceWithVoid())
                .invoke(reference::policiesChanged);
    }

    /**
     * CLM-06 e-prescription registry: a row replaces the prescription's header and items. Design
     * choice: re-registering a prescription that was already dispensed is allowed (the registry
     * mirrors the institutions' systems); what was dispensed under it keeps counting against the
     * new quantities, and a dispensed prescription stays dispensed once (RX_ALREADY_DISPENSED).
     */
    public Uni<ImportResult> prescriptions(List<PrescriptionEntry> rows) {
        String[] rxNos = rows.stream().map(PrescriptionEntry::rxNo).toArray(String[]::new);
        List<Tuple> items = new ArrayList<>();
        rows.forEach(r -> r.items().forEach((code, quantity) -> items.add(Tuple.of(r.rxNo(), code, quantity))));
        return upsert(rows, PrescriptionEntry::rxNo, "SELECT count(*) AS n FROM registered_prescription WHERE rx_no = ANY($1)",
                conn -> conn.preparedQuery("""
                                INSERT INTO registered_prescription (rx_no, institution_code, physician_code, patient_psn_no,
                                    issued_at, valid_days) VALUES ($1, $2, $3, $4, $5, $6)
                                ON CONFLICT (rx_no) DO UPDATE SET institution_code = EXCLUDED.institution_code,
                                    physician_code = EXCLUDED.physician_code, patient_psn_no = EXCLUDED.patient_psn_no,
                                    issued_at = EXCLUDED.issued_at, valid_days = EXCLUDED.valid_days, updated_at = now()""")
                        .executeBatch(map(rows, r -> Tuple.of(r.rxNo(), r.institutionCode(), r.physicianCode(),
                                r.patientPsnNo(), r.issuedAt(), r.validDays())))
                        .chain(() -> conn.preparedQuery("DELETE FROM registered_prescription_item WHERE rx_no = ANY($1)")
                                .execute(Tuple.of(rxNos)))
                        .chain(() -> conn.preparedQuery("INSERT INTO registered_prescription_item (rx_no, item_code, quantity) VALUES ($1, $2, $3)")
                                .executeBatch(items))
                        .replaceWithVoid());
    }

    /** Counts the keys that exist already, then writes, in one transaction. */
    private <T> Uni<ImportResult> upsert(List<T> rows, Function<T, String> key, String countExisting,
                                         Function<SqlConnection, Uni<Void>> write) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(new ImportResult(0, 0, 0));
        }
        String[] keys = rows.stream().map(key).toArray(String[]::new);
        return pool.withTransaction(conn -> conn.preparedQuery(countExisting).execute(Tuple.of(keys))
                .map(rs -> rs.iterator().next().getLong("n").intValue())
                .call(existing -> write.apply(conn))
                .map(existing -> new ImportResult(rows.size(), rows.size() - existing, existing)));
    }

    private static <T> List<Tuple> map(List<T> rows, Function<T, Tuple> f) {
        return rows.stream().map(f).toList();
    }
}
