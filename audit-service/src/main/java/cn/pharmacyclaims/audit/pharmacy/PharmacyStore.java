package cn.pharmacyclaims.audit.pharmacy;

import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The local {@code pharmacy} table: latest known location, hours and region of every pharmacy. */
@ApplicationScoped
public class PharmacyStore {
    private static final String COLUMNS = "pharmacy_code, region_code, lat, lon, business_hours, status, version";

    // The event carries the full state (AGR-11); an older version than the one held changes nothing,
    // so a redelivery or a replay of the compacted topic is harmless.
    private static final String UPSERT = """
            INSERT INTO pharmacy (pharmacy_code, region_code, lat, lon, business_hours, status, version, changed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (pharmacy_code) DO UPDATE SET
                region_code = EXCLUDED.region_code, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
                business_hours = EXCLUDED.business_hours, status = EXCLUDED.status,
                version = EXCLUDED.version, changed_at = EXCLUDED.changed_at, updated_at = now()
            WHERE pharmacy.version < EXCLUDED.version""";

    private final Pool pool;

    public PharmacyStore(Pool pool) {
        this.pool = pool;
    }

    /** Answers true when the event was newer than what was held (and is now stored). */
    public Uni<Boolean> apply(PharmacyStatusChanged e) {
        Tuple t = Tuple.tuple()
                .addString(e.pharmacyCode())
                .addString(e.regionCode())
                .addValue(e.lat())
                .addValue(e.lon())
                .addString(e.businessHours())
                .addString(e.status() == null ? null : e.status().name())
                .addLong(e.version())
                .addOffsetDateTime(e.changedAt());
        return pool.preparedQuery(UPSERT).execute(t).map(rs -> rs.rowCount() == 1);
    }

    public Uni<Pharmacy> find(SqlClient client, String code) {
        if (code == null) {
            return Uni.createFrom().nullItem();
        }
        return client.preparedQuery("SELECT " + COLUMNS + " FROM pharmacy WHERE pharmacy_code = $1")
                .execute(Tuple.of(code))
                .map(rs -> rs.size() == 0 ? null : toPharmacy(rs.iterator().next()));
    }

    public Uni<Map<String, Pharmacy>> findAll(SqlClient client, Collection<String> codes) {
        if (codes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("SELECT " + COLUMNS + " FROM pharmacy WHERE pharmacy_code = ANY($1)")
                .execute(Tuple.of(codes.toArray(new String[0])))
                .map(rs -> {
                    Map<String, Pharmacy> out = new HashMap<>();
                    for (Row r : rs) {
                        Pharmacy p = toPharmacy(r);
                        out.put(p.pharmacyCode(), p);
                    }
                    return out;
                });
    }

    private static Pharmacy toPharmacy(Row r) {
        return new Pharmacy(r.getString("pharmacy_code"), r.getString("region_code"), r.getDouble("lat"),
                r.getDouble("lon"), BusinessHours.parse(r.getString("business_hours")).orElse(null),
                r.getString("status"), r.getLong("version"));
    }
}
