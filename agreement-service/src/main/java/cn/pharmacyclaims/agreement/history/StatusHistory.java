package cn.pharmacyclaims.agreement.history;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.lifecycle.Action;
import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** SEC-04: the append-only agreement status history. Only INSERT and SELECT, by design. */
@ApplicationScoped
public class StatusHistory {

    /** Appends inside the caller's transaction; the entries' ids are assigned by the database. */
    public Uni<Void> append(SqlClient tx, List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(entries.size());
        for (HistoryEntry e : entries) {
            batch.add(Tuple.from(Arrays.asList(e.pharmacyCode(), e.agreementId(), e.action().name(),
                    e.fromStatus() == null ? null : e.fromStatus().name(), e.toStatus().name(), e.settlementHold(),
                    e.reason(), e.ground() == null ? null : e.ground().name(), e.ruleId(), e.actor(), e.source().name(),
                    e.occurredAt(), e.pharmacyVersion())));
        }
        return tx.preparedQuery("""
                        INSERT INTO agreement_status_history (pharmacy_code, agreement_id, action, from_status, to_status,
                               settlement_hold, reason, ground, rule_id, actor, source, occurred_at, pharmacy_version)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""")
                .executeBatch(batch).replaceWithVoid();
    }

    /** Oldest first. */
    public Uni<List<HistoryEntry>> of(SqlClient db, String pharmacyCode) {
        return db.preparedQuery("""
                        SELECT h.*, a.region_code FROM agreement_status_history h JOIN agreement a ON a.id = h.agreement_id
                        WHERE h.pharmacy_code = $1 ORDER BY h.id""")
                .execute(Tuple.of(pharmacyCode))
                .map(rs -> {
                    List<HistoryEntry> out = new ArrayList<>(rs.size());
                    rs.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    private static HistoryEntry map(Row r) {
        String from = r.getString("from_status");
        String ground = r.getString("ground");
        return new HistoryEntry(r.getLong("id"), r.getString("pharmacy_code"), r.getLong("agreement_id"),
                Action.valueOf(r.getString("action")), from == null ? null : PharmacyStatus.valueOf(from),
                PharmacyStatus.valueOf(r.getString("to_status")), r.getBoolean("settlement_hold"), r.getString("reason"),
                ground == null ? null : TerminationGround.valueOf(ground), r.getString("rule_id"), r.getString("actor"),
                Source.valueOf(r.getString("source")), BeijingTime.inBeijing(r.getOffsetDateTime("occurred_at")),
                r.getLong("pharmacy_version"), r.getString("region_code"));
    }

    /** Whether {@code id} is a status change of this pharmacy (AGR-13 disputes name it). */
    public Uni<Boolean> belongsTo(SqlClient db, long id, String pharmacyCode) {
        return db.preparedQuery("SELECT 1 FROM agreement_status_history WHERE id = $1 AND pharmacy_code = $2")
                .execute(Tuple.of(id, pharmacyCode)).map(rs -> rs.size() > 0);
    }
}
