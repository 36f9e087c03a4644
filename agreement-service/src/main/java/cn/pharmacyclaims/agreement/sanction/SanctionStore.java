package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.agreement.BeijingTime;
import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;
import cn.pharmacyclaims.common.events.SanctionRequested;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** SQL for received sanctions (AUD-21). */
@ApplicationScoped
public class SanctionStore {

    public Uni<Void> insert(SqlClient tx, SanctionRequested e, String pharmacyCode, boolean applied, String outcome,
                            TerminationGround ground, Long deadlineId, OffsetDateTime now) {
        return tx.preparedQuery("""
                        INSERT INTO sanction (sanction_id, pharmacy_code, region_code, level, police_referral, case_id, reason,
                               confirmed_cases, decided_by, decided_at, applied, outcome, ground, deadline_id, received_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)""")
                .execute(Tuple.from(Arrays.asList(e.sanctionId(), pharmacyCode, e.regionCode(),
                        e.level() == null ? "UNKNOWN" : e.level().name(), e.policeReferral(), e.caseId(), e.reason(),
                        e.confirmedCasesIn12Months(), e.decidedBy(), e.decidedAt(), applied, outcome,
                        ground == null ? null : ground.name(), deadlineId, now)))
                .replaceWithVoid();
    }

    public Uni<List<SanctionView>> ofPharmacy(SqlClient db, String code) {
        return db.preparedQuery(SELECT + " WHERE s.pharmacy_code = $1 ORDER BY s.received_at, s.sanction_id")
                .execute(Tuple.of(code)).map(SanctionStore::all);
    }

    public Uni<SanctionView> find(SqlClient db, String sanctionId) {
        return db.preparedQuery(SELECT + " WHERE s.sanction_id = $1").execute(Tuple.of(sanctionId))
                .map(rs -> rs.size() == 0 ? null : all(rs).get(0));
    }

    /** AUD-21 ladder, for display: distinct confirmed cases behind the sanctions decided after {@code since}. */
    public Uni<Integer> confirmedCasesSince(SqlClient db, String code, OffsetDateTime since) {
        return db.preparedQuery("""
                        SELECT count(DISTINCT coalesce(case_id, sanction_id)) AS n FROM sanction
                        WHERE pharmacy_code = $1 AND coalesce(decided_at, received_at) > $2""")
                .execute(Tuple.of(code, since)).map(rs -> rs.iterator().next().getLong("n").intValue());
    }

    private static final String SELECT = """
            SELECT s.*, d.due_date FROM sanction s LEFT JOIN deadline d ON d.id = s.deadline_id""";

    private static List<SanctionView> all(RowSet<Row> rs) {
        List<SanctionView> out = new ArrayList<>();
        rs.forEach(r -> {
            String ground = r.getString("ground");
            out.add(new SanctionView(r.getString("sanction_id"), r.getString("pharmacy_code"), r.getString("region_code"),
                    r.getString("level"), r.getBoolean("police_referral"), r.getString("case_id"), r.getString("reason"),
                    r.getInteger("confirmed_cases"), r.getString("decided_by"), BeijingTime.inBeijing(r.getOffsetDateTime("decided_at")),
                    r.getBoolean("applied"), r.getString("outcome"), ground == null ? null : TerminationGround.valueOf(ground),
                    r.getLong("deadline_id"), r.getLocalDate("due_date"), r.getLocalDate("rectified_on"), r.getString("rectified_by"),
                    BeijingTime.inBeijing(r.getOffsetDateTime("received_at"))));
        });
        return out;
    }
}
