package cn.pharmacyclaims.settlement.pharmacy;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The local copy of pharmacy and terminal status (AGR-11): written from the agreement service's
 * compacted topics, read on the settlement path without ever calling that service.
 */
@ApplicationScoped
public class PharmacyDirectory {

    /** Applies the event only when it is newer than the copy held (replays and reordering change nothing). */
    public Uni<Boolean> apply(SqlClient db, PharmacyStatusChanged e) {
        return db.preparedQuery("""
                        INSERT INTO pharmacy (pharmacy_code, region_code, status, valid_from, valid_to, version, changed_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (pharmacy_code) DO UPDATE SET
                            region_code = EXCLUDED.region_code, status = EXCLUDED.status, valid_from = EXCLUDED.valid_from,
                            valid_to = EXCLUDED.valid_to, version = EXCLUDED.version, changed_at = EXCLUDED.changed_at,
                            updated_at = now()
                        WHERE pharmacy.version < EXCLUDED.version""")
                .execute(Tuple.from(new Object[]{e.pharmacyCode(), e.regionCode(), e.status().name(), e.validFrom(),
                        e.validTo(), e.version(), e.changedAt()}))
                .map(r -> r.rowCount() == 1);
    }

    public Uni<Boolean> apply(SqlClient db, TerminalChanged e) {
        return db.preparedQuery("""
                        INSERT INTO terminal (terminal_id, pharmacy_code, status, version, changed_at)
                        VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (terminal_id) DO UPDATE SET
                            pharmacy_code = EXCLUDED.pharmacy_code, status = EXCLUDED.status, version = EXCLUDED.version,
                            changed_at = EXCLUDED.changed_at, updated_at = now()
                        WHERE terminal.version < EXCLUDED.version""")
                .execute(Tuple.of(e.terminalId(), e.pharmacyCode(), e.status().name(), e.version(), e.changedAt()))
                .map(r -> r.rowCount() == 1);
    }

    /** Null when the pharmacy has never been announced (CLM-02 PHARMACY_UNKNOWN). */
    public Uni<Snapshots.Pharmacy> pharmacy(SqlClient db, String pharmacyCode) {
        if (pharmacyCode == null) {
            return Uni.createFrom().nullItem();
        }
        return db.preparedQuery("SELECT pharmacy_code, region_code, status, valid_from, valid_to FROM pharmacy WHERE pharmacy_code = $1")
                .execute(Tuple.of(pharmacyCode))
                .map(PharmacyDirectory::firstPharmacy);
    }

    private static Snapshots.Pharmacy firstPharmacy(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new Snapshots.Pharmacy(r.getString("pharmacy_code"), r.getString("region_code"),
                PharmacyStatus.valueOf(r.getString("status")), r.getLocalDate("valid_from"), r.getLocalDate("valid_to"));
    }

    /**
     * The pharmacy an ACTIVE terminal is registered to; null for an unknown or revoked terminal
     * (a revoked terminal is registered to nobody any more, CLM-02 / SEC-01).
     */
    public Uni<String> terminalPharmacy(SqlClient db, String terminalId) {
        if (terminalId == null) {
            return Uni.createFrom().nullItem();
        }
        return db.preparedQuery("SELECT pharmacy_code FROM terminal WHERE terminal_id = $1 AND status = 'ACTIVE'")
                .execute(Tuple.of(terminalId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("pharmacy_code"));
    }
}
