package cn.pharmacyclaims.settlement.pharmacy;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

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

    /**
     * The local copies of these pharmacies, by code; a pharmacy never announced is absent (CLM-02
     * PHARMACY_UNKNOWN). One statement for a whole group of settlements.
     */
    public Uni<Map<String, Snapshots.Pharmacy>> pharmacies(SqlClient db, Collection<String> pharmacyCodes) {
        if (pharmacyCodes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("SELECT pharmacy_code, region_code, status, valid_from, valid_to FROM pharmacy WHERE pharmacy_code = ANY($1)")
                .execute(Tuple.of(pharmacyCodes.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Snapshots.Pharmacy> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("pharmacy_code"), new Snapshots.Pharmacy(r.getString("pharmacy_code"),
                                r.getString("region_code"), PharmacyStatus.valueOf(r.getString("status")),
                                r.getLocalDate("valid_from"), r.getLocalDate("valid_to")));
                    }
                    return out;
                });
    }

    /**
     * The pharmacy each ACTIVE terminal is registered to, by terminal id; an unknown or revoked
     * terminal is absent (a revoked terminal is registered to nobody any more, CLM-02 / SEC-01).
     */
    public Uni<Map<String, String>> terminalPharmacies(SqlClient db, Collection<String> terminalIds) {
        if (terminalIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("SELECT terminal_id, pharmacy_code FROM terminal WHERE terminal_id = ANY($1) AND status = 'ACTIVE'")
                .execute(Tuple.of(terminalIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, String> out = new HashMap<>();
                    rows.forEach(r -> out.put(r.getString("terminal_id"), r.getString("pharmacy_code")));
                    return out;
                });
    }
}
