package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.lifecycle.Agreement;
import cn.pharmacyclaims.agreement.lifecycle.AgreementType;
import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * SQL for pharmacies and their current agreements. Every writer locks the pharmacy row first
 * ({@code FOR UPDATE OF p, a}), so the staff API, the import and the scheduler never deadlock and
 * never interleave two changes of one pharmacy (its published version grows strictly).
 */
@ApplicationScoped
public class PharmacyStore {

    private static final String COLUMNS = """
            p.code, p.name, p.region_code AS p_region, p.address, p.lat, p.lon, p.business_hours, p.version AS p_version,
            a.id, a.region_code AS a_region, a.type, a.valid_from, a.valid_to, a.status, a.settlement_hold,
            a.suspensions_in_term, a.suspended_at, a.suspension_requested_by_pharmacy, a.termination_ground,
            a.status_changed_at, a.version AS a_version
            FROM pharmacy p JOIN agreement a ON a.pharmacy_code = p.code AND a.current
            """;

    public Uni<PharmacyState> find(SqlClient db, String code) {
        return db.preparedQuery("SELECT " + COLUMNS + " WHERE p.code = $1").execute(Tuple.of(code)).map(PharmacyStore::first);
    }

    /** Locks the pharmacy and its current agreement until the transaction ends; null when unknown. */
    public Uni<PharmacyState> lock(SqlClient tx, String code) {
        return tx.preparedQuery("SELECT " + COLUMNS + " WHERE p.code = $1 FOR UPDATE OF p, a").execute(Tuple.of(code))
                .map(PharmacyStore::first);
    }

    /** Locks the known pharmacies among {@code codes}, in code order (a fixed lock order: no deadlock between imports). */
    public Uni<List<PharmacyState>> lockAll(SqlClient tx, Collection<String> codes) {
        return tx.preparedQuery("SELECT " + COLUMNS + " WHERE p.code = ANY($1) ORDER BY p.code FOR UPDATE OF p, a")
                .execute(Tuple.of(codes.toArray(new String[0]))).map(PharmacyStore::all);
    }

    /**
     * AGR-05 / AGR-07: claims agreements whose term ended before {@code today}. SKIP LOCKED lets several
     * instances run the scheduler at once: each claims different rows, none waits for another.
     */
    public Uni<List<PharmacyState>> claimTermEnded(SqlClient tx, LocalDate today, int limit) {
        return tx.preparedQuery("SELECT " + COLUMNS
                        + " WHERE a.status IN ('ACTIVE','SETTLEMENT_HOLD','SUSPENDED') AND a.valid_to < $1"
                        + " ORDER BY p.code LIMIT $2 FOR UPDATE OF p, a SKIP LOCKED")
                .execute(Tuple.of(today, limit)).map(PharmacyStore::all);
    }

    /** AGR-07: claims pharmacy-requested suspensions that started at or before {@code startedBy}. */
    public Uni<List<PharmacyState>> claimRequestedSuspensionsSince(SqlClient tx, OffsetDateTime startedBy, int limit) {
        return tx.preparedQuery("SELECT " + COLUMNS
                        + " WHERE a.status = 'SUSPENDED' AND a.suspension_requested_by_pharmacy AND a.suspended_at <= $1"
                        + " ORDER BY p.code LIMIT $2 FOR UPDATE OF p, a SKIP LOCKED")
                .execute(Tuple.of(startedBy, limit)).map(PharmacyStore::all);
    }

    /** Public lists (AGR-04, AGR-09): pharmacies whose current agreement has one of {@code statuses}. */
    public Uni<List<PharmacyState>> listByStatus(SqlClient db, List<PharmacyStatus> statuses, String regionCode) {
        String[] names = statuses.stream().map(Enum::name).toArray(String[]::new);
        return db.preparedQuery("SELECT " + COLUMNS
                        + " WHERE a.status = ANY($1) AND ($2::text IS NULL OR p.region_code = $2) ORDER BY p.region_code, p.name, p.code")
                .execute(Tuple.of(names, regionCode)).map(PharmacyStore::all);
    }

    public Uni<Void> insertPharmacies(SqlClient tx, List<Pharmacy> rows, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        for (Pharmacy p : rows) {
            batch.add(Tuple.from(Arrays.asList(p.code(), p.name(), p.regionCode(), p.address(), p.lat(), p.lon(),
                    p.businessHours(), p.version(), now)));
        }
        return tx.preparedQuery("""
                        INSERT INTO pharmacy (code, name, region_code, address, lat, lon, business_hours, version, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)""")
                .executeBatch(batch).replaceWithVoid();
    }

    /** Writes master data and the new published version. */
    public Uni<Void> updatePharmacies(SqlClient tx, List<Pharmacy> rows, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        for (Pharmacy p : rows) {
            batch.add(Tuple.from(Arrays.asList(p.code(), p.name(), p.regionCode(), p.address(), p.lat(), p.lon(),
                    p.businessHours(), p.version(), now)));
        }
        return tx.preparedQuery("""
                        UPDATE pharmacy SET name = $2, region_code = $3, address = $4, lat = $5, lon = $6, business_hours = $7,
                               version = $8, updated_at = $9 WHERE code = $1""")
                .executeBatch(batch).replaceWithVoid();
    }

    public Uni<Void> setVersion(SqlClient tx, String code, long version, OffsetDateTime now) {
        return tx.preparedQuery("UPDATE pharmacy SET version = $2, updated_at = $3 WHERE code = $1")
                .execute(Tuple.of(code, version, now)).replaceWithVoid();
    }

    /** Ids for agreements about to be inserted, so that history rows can reference them in the same batch. */
    public Uni<List<Long>> reserveAgreementIds(SqlClient tx, int n) {
        if (n == 0) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery("SELECT nextval('agreement_id_seq') AS id FROM generate_series(1, $1)").execute(Tuple.of(n))
                .map(rs -> {
                    List<Long> ids = new ArrayList<>(n);
                    rs.forEach(r -> ids.add(r.getLong("id")));
                    return ids;
                });
    }

    /** Ends the "current" flag of agreements replaced by a new term (the old rows stay, unchanged otherwise). */
    public Uni<Void> supersede(SqlClient tx, List<Long> agreementIds, OffsetDateTime now) {
        if (agreementIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("UPDATE agreement SET current = false, updated_at = $2 WHERE id = ANY($1)")
                .execute(Tuple.of(agreementIds.toArray(new Long[0]), now)).replaceWithVoid();
    }

    public Uni<Void> insertAgreements(SqlClient tx, List<Agreement> rows, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        for (Agreement a : rows) {
            batch.add(Tuple.from(Arrays.asList(a.id(), a.pharmacyCode(), a.regionCode(), a.type().name(), a.validFrom(),
                    a.validTo(), a.status().name(), a.settlementHold(), a.suspensionsInTerm(), a.suspendedAt(),
                    a.suspensionRequestedByPharmacy(), groundName(a), a.statusChangedAt(), a.version(), now)));
        }
        return tx.preparedQuery("""
                        INSERT INTO agreement (id, pharmacy_code, region_code, type, valid_from, valid_to, status, settlement_hold,
                               suspensions_in_term, suspended_at, suspension_requested_by_pharmacy, termination_ground,
                               status_changed_at, version, current, created_at, updated_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, true, $15, $15)""")
                .executeBatch(batch).replaceWithVoid();
    }

    public Uni<Void> updateAgreements(SqlClient tx, List<Agreement> rows, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        for (Agreement a : rows) {
            batch.add(Tuple.from(Arrays.asList(a.id(), a.regionCode(), a.type().name(), a.validFrom(), a.validTo(),
                    a.status().name(), a.settlementHold(), a.suspensionsInTerm(), a.suspendedAt(),
                    a.suspensionRequestedByPharmacy(), groundName(a), a.statusChangedAt(), a.version(), now)));
        }
        return tx.preparedQuery("""
                        UPDATE agreement SET region_code = $2, type = $3, valid_from = $4, valid_to = $5, status = $6,
                               settlement_hold = $7, suspensions_in_term = $8, suspended_at = $9,
                               suspension_requested_by_pharmacy = $10, termination_ground = $11, status_changed_at = $12,
                               version = $13, updated_at = $14
                        WHERE id = $1 AND current""")
                .executeBatch(batch).replaceWithVoid();
    }

    private static String groundName(Agreement a) {
        return a.terminationGround() == null ? null : a.terminationGround().name();
    }

    private static PharmacyState first(RowSet<Row> rs) {
        var it = rs.iterator();
        return it.hasNext() ? map(it.next()) : null;
    }

    private static List<PharmacyState> all(RowSet<Row> rs) {
        List<PharmacyState> out = new ArrayList<>(rs.size());
        rs.forEach(r -> out.add(map(r)));
        return out;
    }

    static PharmacyState map(Row r) {
        Pharmacy p = new Pharmacy(r.getString("code"), r.getString("name"), r.getString("p_region"), r.getString("address"),
                r.getDouble("lat"), r.getDouble("lon"), r.getString("business_hours"), r.getLong("p_version"));
        String ground = r.getString("termination_ground");
        Agreement a = new Agreement(r.getLong("id"), p.code(), r.getString("a_region"), AgreementType.valueOf(r.getString("type")),
                r.getLocalDate("valid_from"), r.getLocalDate("valid_to"), PharmacyStatus.valueOf(r.getString("status")),
                r.getBoolean("settlement_hold"), r.getInteger("suspensions_in_term"),
                BeijingTime.inBeijing(r.getOffsetDateTime("suspended_at")), r.getBoolean("suspension_requested_by_pharmacy"),
                ground == null ? null : TerminationGround.valueOf(ground),
                BeijingTime.inBeijing(r.getOffsetDateTime("status_changed_at")), r.getLong("a_version"));
        return new PharmacyState(p, a);
    }
}
