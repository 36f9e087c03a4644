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

    private static final String SELECTED = """
            p.code, p.name, p.region_code AS p_region, p.address, p.lat, p.lon, p.business_hours, p.version AS p_version,
            a.id, a.region_code AS a_region, a.type, a.valid_from, a.valid_to, a.status, a.settlement_hold,
            a.suspensions_in_term, a.suspended_at, a.suspension_requested_by_pharmacy, a.termination_ground,
            a.status_changed_at, a.version AS a_version
            """;
    /** The pharmacy with its home agreement: the current one in the pharmacy's own region (AGR-10, AGR-11). */
    private static final String COLUMNS = SELECTED
            + " FROM pharmacy p JOIN agreement a ON a.pharmacy_code = p.code AND a.current AND a.region_code = p.region_code ";
    /** The pharmacy with each of its current agreements, one row per region (AGR-10). */
    private static final String EVERY_REGION = SELECTED + " FROM pharmacy p JOIN agreement a ON a.pharmacy_code = p.code AND a.current ";
    private static final String HOME_FIRST = " ORDER BY (a.region_code = p.region_code) DESC, a.region_code";

    public Uni<PharmacyState> find(SqlClient db, String code) {
        return db.preparedQuery("SELECT " + COLUMNS + " WHERE p.code = $1").execute(Tuple.of(code)).map(PharmacyStore::first);
    }

    /** Locks the pharmacy and its current agreement until the transaction ends; null when unknown. */
    public Uni<PharmacyState> lock(SqlClient tx, String code) {
        return tx.preparedQuery("SELECT " + COLUMNS + " WHERE p.code = $1 FOR UPDATE OF p, a").execute(Tuple.of(code))
                .map(PharmacyStore::first);
    }

    /**
     * AGR-10: locks the pharmacy and every current agreement it holds (home region first, then by
     * region) until the transaction ends; empty when the pharmacy is unknown.
     */
    public Uni<List<PharmacyState>> lockAgreements(SqlClient tx, String code) {
        return tx.preparedQuery("SELECT " + EVERY_REGION + " WHERE p.code = $1" + HOME_FIRST + " FOR UPDATE OF p, a")
                .execute(Tuple.of(code)).map(PharmacyStore::all);
    }

    /** Every current agreement of the pharmacy, home region first (no lock). */
    public Uni<List<PharmacyState>> agreements(SqlClient db, String code) {
        return db.preparedQuery("SELECT " + EVERY_REGION + " WHERE p.code = $1" + HOME_FIRST).execute(Tuple.of(code))
                .map(PharmacyStore::all);
    }

    /** Regions other than the home one in which these pharmacies hold a current agreement (the import must not collide). */
    public Uni<java.util.Map<String, java.util.Set<String>>> otherRegions(SqlClient db, Collection<String> codes) {
        return db.preparedQuery("SELECT " + EVERY_REGION + " WHERE p.code = ANY($1) AND a.region_code <> p.region_code")
                .execute(Tuple.of(codes.toArray(new String[0])))
                .map(rs -> {
                    java.util.Map<String, java.util.Set<String>> out = new java.util.HashMap<>();
                    rs.forEach(r -> out.computeIfAbsent(r.getString("code"), k -> new java.util.TreeSet<>()).add(r.getString("a_region")));
                    return out;
                });
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
        // every region's agreement (AGR-10); a term with a signed renewal that starts by today is renewed
        // instead (AGR-05), unless it is suspended: a suspension that outlasts the term ends it (AGR-07)
        return tx.preparedQuery("SELECT " + EVERY_REGION
                        + " WHERE a.status IN ('ACTIVE','SETTLEMENT_HOLD','SUSPENDED') AND a.valid_to < $1"
                        + " AND (a.status = 'SUSPENDED' OR NOT EXISTS (SELECT 1 FROM application ap WHERE ap.kind = 'RENEWAL'"
                        + "      AND ap.status = 'SIGNED' AND ap.agreement_id IS NULL AND ap.pharmacy_code = a.pharmacy_code"
                        + "      AND ap.region_code = a.region_code AND ap.term_from <= $1))"
                        + " ORDER BY p.code, a.region_code LIMIT $2 FOR UPDATE OF p, a SKIP LOCKED")
                .execute(Tuple.of(today, limit)).map(PharmacyStore::all);
    }

    /** AGR-07: claims pharmacy-requested suspensions that started at or before {@code startedBy}. */
    public Uni<List<PharmacyState>> claimRequestedSuspensionsSince(SqlClient tx, OffsetDateTime startedBy, int limit) {
        return tx.preparedQuery("SELECT " + EVERY_REGION
                        + " WHERE a.status = 'SUSPENDED' AND a.suspension_requested_by_pharmacy AND a.suspended_at <= $1"
                        + " ORDER BY p.code, a.region_code LIMIT $2 FOR UPDATE OF p, a SKIP LOCKED")
                .execute(Tuple.of(startedBy, limit)).map(PharmacyStore::all);
    }

    /** An agreement whose AGR-05 renewal window just opened. */
    public record RenewalWindow(long agreementId, String pharmacyCode, String regionCode, LocalDate validTo) {
    }

    /**
     * AGR-05: marks (once per term) running agreements whose renewal window has opened, i.e. that end
     * within {@code months} months; SKIP LOCKED, so several instances never remind twice.
     */
    public Uni<List<RenewalWindow>> claimRenewalWindows(SqlClient tx, LocalDate today, int months, int limit, OffsetDateTime now) {
        return tx.preparedQuery("""
                        UPDATE agreement SET renewal_reminded_at = $4
                        WHERE id IN (SELECT id FROM agreement WHERE current AND status IN ('ACTIVE', 'SETTLEMENT_HOLD')
                                       AND renewal_reminded_at IS NULL AND valid_to >= $1
                                       AND (valid_to - make_interval(months => $2))::date <= $1
                                     ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                        RETURNING id, pharmacy_code, region_code, valid_to""")
                .execute(Tuple.of(today, months, limit, now))
                .map(rs -> {
                    List<RenewalWindow> out = new ArrayList<>();
                    rs.forEach(r -> out.add(new RenewalWindow(r.getLong("id"), r.getString("pharmacy_code"), r.getString("region_code"),
                            r.getLocalDate("valid_to"))));
                    return out;
                });
    }

    /**
     * Public lists (AGR-04, AGR-09): current agreements with one of {@code statuses}, of every region
     * (a pharmacy designated in two regions is listed in both, AGR-10).
     */
    public Uni<List<PharmacyState>> listByStatus(SqlClient db, List<PharmacyStatus> statuses, String regionCode) {
        String[] names = statuses.stream().map(Enum::name).toArray(String[]::new);
        return db.preparedQuery("SELECT " + EVERY_REGION
                        + " WHERE a.status = ANY($1) AND ($2::text IS NULL OR a.region_code = $2) ORDER BY a.region_code, p.name, p.code")
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
