package cn.pharmacyclaims.agreement.history;

import cn.pharmacyclaims.agreement.BeijingTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** SEC-04: the append-only record of every non-status change (the table refuses UPDATE and DELETE). */
@ApplicationScoped
public class RecordHistory {

    public Uni<Void> append(SqlClient tx, List<RecordEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(entries.size());
        for (RecordEntry e : entries) {
            batch.add(Tuple.from(Arrays.asList(e.pharmacyCode(), e.subjectType(), e.subjectId(), e.action(), e.fromState(),
                    e.toState(), e.detail(), e.ruleId(), e.actor(), e.source().name(), e.occurredAt())));
        }
        return tx.preparedQuery("""
                        INSERT INTO record_history (pharmacy_code, subject_type, subject_id, action, from_state, to_state, detail,
                               rule_id, actor, source, occurred_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
                .executeBatch(batch).replaceWithVoid();
    }

    public Uni<Void> append(SqlClient tx, RecordEntry entry) {
        return append(tx, List.of(entry));
    }

    /** Everything recorded about one pharmacy, oldest first. */
    public Uni<List<RecordEntry>> ofPharmacy(SqlClient db, String pharmacyCode) {
        return db.preparedQuery("SELECT * FROM record_history WHERE pharmacy_code = $1 ORDER BY id")
                .execute(Tuple.of(pharmacyCode)).map(RecordHistory::all);
    }

    /** Everything recorded about one subject (e.g. an application), oldest first. */
    public Uni<List<RecordEntry>> ofSubject(SqlClient db, String subjectType, String subjectId) {
        return db.preparedQuery("SELECT * FROM record_history WHERE subject_type = $1 AND subject_id = $2 ORDER BY id")
                .execute(Tuple.of(subjectType, subjectId)).map(RecordHistory::all);
    }

    /** Whether {@code id} is a record of this pharmacy (AGR-13 disputes name it). */
    public Uni<Boolean> belongsTo(SqlClient db, long id, String pharmacyCode) {
        return db.preparedQuery("SELECT 1 FROM record_history WHERE id = $1 AND pharmacy_code = $2")
                .execute(Tuple.of(id, pharmacyCode)).map(rs -> rs.size() > 0);
    }

    private static List<RecordEntry> all(RowSet<Row> rs) {
        List<RecordEntry> out = new ArrayList<>(rs.size());
        rs.forEach(r -> out.add(new RecordEntry(r.getLong("id"), r.getString("pharmacy_code"), r.getString("subject_type"),
                r.getString("subject_id"), r.getString("action"), r.getString("from_state"), r.getString("to_state"),
                r.getString("detail"), r.getString("rule_id"), r.getString("actor"), Source.valueOf(r.getString("source")),
                BeijingTime.inBeijing(r.getOffsetDateTime("occurred_at")))));
        return out;
    }
}
