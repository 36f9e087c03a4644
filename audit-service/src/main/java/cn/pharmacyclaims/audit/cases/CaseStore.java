package cn.pharmacyclaims.audit.cases;

import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.common.events.SanctionRequested;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.json.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The case tables (V2 migration). Every method runs on the caller's connection or transaction. */
@ApplicationScoped
public class CaseStore {
    private static final String CASE_COLUMNS = "case_id, pharmacy_code, region_code, title, status, opened_by, opened_at,"
            + " closed_by, closed_at, violating_amount, category, severe, penalty_amount, close_reason";
    /** Advisory-lock class of "a pharmacy's AUD-21 ladder" (key 2 is the pharmacy code's hash). */
    private static final int LADDER_LOCK_CLASS = 0x0A0D_0021;

    /** Who an alert is about, as far as a case cares. */
    public record AlertOwner(UUID alertId, String pharmacyCode, String regionCode) {
    }

    /** An alert already held by a case that is open or confirmed. */
    public record Claim(UUID alertId, String caseId, CaseStatus status) {
    }

    // ---- writes ----------------------------------------------------------------------------

    /**
     * Locks the alerts (in id order, so two auditors opening overlapping cases queue instead of
     * deadlocking): a concurrent opening of a case from the same alert waits for this one to commit.
     */
    public Uni<Map<UUID, AlertOwner>> lockAlerts(SqlClient tx, List<UUID> ids) {
        return tx.preparedQuery("SELECT alert_id, pharmacy_code, region_code FROM alert WHERE alert_id = ANY($1)"
                        + " ORDER BY alert_id FOR NO KEY UPDATE")
                .execute(Tuple.of(ids.toArray(new UUID[0])))
                .map(rs -> {
                    Map<UUID, AlertOwner> out = new LinkedHashMap<>();
                    for (Row r : rs) {
                        out.put(r.getUUID("alert_id"), new AlertOwner(r.getUUID("alert_id"), r.getString("pharmacy_code"),
                                r.getString("region_code")));
                    }
                    return out;
                });
    }

    public Uni<List<Claim>> claims(SqlClient tx, List<UUID> alertIds) {
        return tx.preparedQuery("SELECT ca.alert_id, c.case_id, c.status FROM case_alert ca JOIN audit_case c ON c.case_id = ca.case_id"
                        + " WHERE ca.alert_id = ANY($1) AND c.status IN ('OPEN', 'CONFIRMED') ORDER BY c.opened_at")
                .execute(Tuple.of(alertIds.toArray(new UUID[0])))
                .map(rs -> {
                    List<Claim> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(new Claim(r.getUUID("alert_id"), r.getString("case_id"), CaseStatus.valueOf(r.getString("status"))));
                    }
                    return out;
                });
    }

    /** The region from the local pharmacy table (agreement.pharmacy-status), or null when the pharmacy is not known yet. */
    public Uni<String> regionOf(SqlClient tx, String pharmacyCode) {
        return tx.preparedQuery("SELECT region_code FROM pharmacy WHERE pharmacy_code = $1").execute(Tuple.of(pharmacyCode))
                .map(rs -> rs.size() == 0 ? null : rs.iterator().next().getString("region_code"));
    }

    public Uni<Void> insertCase(SqlClient tx, AuditCase c, List<UUID> alertIds) {
        Tuple t = Tuple.tuple().addString(c.caseId()).addString(c.pharmacyCode()).addString(c.regionCode()).addString(c.title())
                .addString(c.status().name()).addString(c.openedBy()).addOffsetDateTime(c.openedAt());
        List<Tuple> links = alertIds.stream().map(id -> Tuple.of(c.caseId(), id)).toList();
        return tx.preparedQuery("INSERT INTO audit_case (case_id, pharmacy_code, region_code, title, status, opened_by, opened_at)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7)").execute(t)
                .flatMap(x -> tx.preparedQuery("INSERT INTO case_alert (case_id, alert_id) VALUES ($1, $2)").executeBatch(links))
                .replaceWithVoid();
    }

    /**
     * SET-03: the settlements of the case's pharmacy behind its alerts are withheld while it is open.
     * Rejected requests (no setlId) were never paid and need no withholding; another pharmacy's
     * settlements named by a person-level alert (AUD-02) are that pharmacy's, not this case's.
     */
    public Uni<Integer> withholdSettlements(SqlClient tx, String caseId, String pharmacyCode, List<UUID> alertIds) {
        return tx.preparedQuery("INSERT INTO case_settlement (case_id, setl_id, msg_id, pharmacy_code, status)"
                        + " SELECT $1, s.setl_id, min(s.msg_id), s.pharmacy_code, 'OPEN' FROM alert_settlement s"
                        + " WHERE s.alert_id = ANY($2) AND s.setl_id IS NOT NULL AND s.pharmacy_code = $3"
                        + " GROUP BY s.setl_id, s.pharmacy_code ON CONFLICT (case_id, setl_id) DO NOTHING")
                .execute(Tuple.of(caseId, alertIds.toArray(new UUID[0]), pharmacyCode))
                .map(rs -> rs.rowCount());
    }

    /**
     * Called by the intake when it appends settlements to an existing alert: every OPEN case holding
     * that alert withholds the new settlements too, and says so in its history. Runs after the alert
     * row was updated (row-locked), so a case opened concurrently from this alert is either seen here
     * or reads the new settlements itself.
     */
    public Uni<Void> followAlert(SqlClient tx, UUID alertId) {
        return followAlerts(tx, List.of(alertId));
    }

    /**
     * {@link #followAlert} for several alerts in one statement (a batch of decisions appended to them). A settlement
     * reached through two alerts of one case is added once, credited to the alert named first.
     */
    public Uni<Void> followAlerts(SqlClient tx, List<UUID> alertIds) {
        if (alertIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // one statement, not one execution per alert: the intake appends to a few hundred alerts a poll, almost none
        // of them in a case (docs/performance.md, tuning step 22)
        return tx.preparedQuery(FOLLOW_ALERTS).execute(Tuple.of((Object) alertIds.toArray(new UUID[0]))).replaceWithVoid();
    }

    private static final String FOLLOW_ALERTS = """
                        WITH src AS (
                            SELECT DISTINCT ON (c.case_id, s.setl_id) c.case_id, s.setl_id, s.msg_id, s.pharmacy_code,
                                   ca.alert_id, array_position($1::uuid[], ca.alert_id) AS pos, s.seq
                            FROM case_alert ca
                            JOIN audit_case c ON c.case_id = ca.case_id AND c.status = 'OPEN'
                            JOIN alert_settlement s ON s.alert_id = ca.alert_id
                            WHERE ca.alert_id = ANY($1) AND s.setl_id IS NOT NULL AND s.pharmacy_code = c.pharmacy_code
                            ORDER BY c.case_id, s.setl_id, pos),
                        added AS (
                            INSERT INTO case_settlement (case_id, setl_id, msg_id, pharmacy_code, status)
                            SELECT case_id, setl_id, msg_id, pharmacy_code, 'OPEN' FROM src ORDER BY pos, seq
                            ON CONFLICT (case_id, setl_id) DO NOTHING
                            RETURNING case_id, setl_id)
                        INSERT INTO case_event (case_id, type, actor, at, text, details)
                        SELECT s.case_id, 'SETTLEMENT_ADDED', 'audit-service', now(),
                               'alert ' || s.alert_id::text || ' gained settlement ' || s.setl_id || '; withheld with the case (SET-03)',
                               json_build_object('alertId', s.alert_id::text, 'setlId', s.setl_id, 'msgId', s.msg_id)::text
                        FROM added a JOIN src s USING (case_id, setl_id)
                        ORDER BY s.pos, s.seq""";

    public Uni<CaseEvent> addEvent(SqlClient tx, String caseId, CaseEventType type, String actor, OffsetDateTime at,
                                   String text, String evidence, Map<String, ?> details) {
        String json = details == null || details.isEmpty() ? null : Json.write(details);
        return tx.preparedQuery("INSERT INTO case_event (case_id, type, actor, at, text, evidence, details)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq")
                .execute(Tuple.tuple().addString(caseId).addString(type.name()).addString(actor).addOffsetDateTime(at)
                        .addString(text).addString(evidence).addString(json))
                .map(rs -> new CaseEvent(rs.iterator().next().getLong("seq"), type, actor, Beijing.normalize(at), text, evidence,
                        tree(json)));
    }

    /** FOR UPDATE: closing; FOR SHARE: adding a note (a note never races a close). */
    public Uni<Optional<AuditCase>> lock(SqlClient tx, String caseId, boolean forUpdate) {
        return tx.preparedQuery("SELECT " + CASE_COLUMNS + " FROM audit_case WHERE case_id = $1 " + (forUpdate ? "FOR UPDATE" : "FOR SHARE"))
                .execute(Tuple.of(caseId))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(toCase(rs.iterator().next())));
    }

    public Uni<Void> confirm(SqlClient tx, String caseId, String by, OffsetDateTime at, CaseRequests.Confirm c, boolean severe) {
        Tuple t = Tuple.tuple().addString(caseId).addString(by).addOffsetDateTime(at).addValue(Numeric.create(c.violatingAmount()))
                .addString(c.category().name()).addBoolean(severe)
                .addValue(c.penaltyAmount() == null ? null : Numeric.create(c.penaltyAmount())).addString(c.reason());
        return tx.preparedQuery("UPDATE audit_case SET status = 'CONFIRMED', closed_by = $2, closed_at = $3, violating_amount = $4,"
                        + " category = $5, severe = $6, penalty_amount = $7, close_reason = $8 WHERE case_id = $1 AND status = 'OPEN'")
                .execute(t).flatMap(rs -> settlementsFollow(tx, caseId, CaseStatus.CONFIRMED, rs.rowCount()));
    }

    public Uni<Void> dismiss(SqlClient tx, String caseId, String by, OffsetDateTime at, String reason) {
        return tx.preparedQuery("UPDATE audit_case SET status = 'DISMISSED', closed_by = $2, closed_at = $3, close_reason = $4"
                        + " WHERE case_id = $1 AND status = 'OPEN'")
                .execute(Tuple.of(caseId, by, at, reason))
                .flatMap(rs -> settlementsFollow(tx, caseId, CaseStatus.DISMISSED, rs.rowCount()));
    }

    private Uni<Void> settlementsFollow(SqlClient tx, String caseId, CaseStatus status, int closed) {
        if (closed != 1) {
            return Uni.createFrom().failure(new IllegalStateException("case " + caseId + " was not OPEN"));
        }
        return tx.preparedQuery("UPDATE case_settlement SET status = $2 WHERE case_id = $1")
                .execute(Tuple.of(caseId, status.name())).replaceWithVoid();
    }

    /**
     * AUD-21: serialises confirmations of one pharmacy until commit, so that two cases confirmed at
     * the same time count each other (1st and 2nd, never two 1st).
     */
    public Uni<Void> lockLadder(SqlClient tx, String pharmacyCode) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))").execute(Tuple.of(LADDER_LOCK_CLASS, pharmacyCode))
                .replaceWithVoid();
    }

    /** Confirmation times of the pharmacy's confirmed cases after {@code since} (the ladder counts them). */
    public Uni<List<OffsetDateTime>> confirmedSince(SqlClient tx, String pharmacyCode, OffsetDateTime since) {
        return tx.preparedQuery("SELECT closed_at FROM audit_case WHERE pharmacy_code = $1 AND status = 'CONFIRMED' AND closed_at > $2")
                .execute(Tuple.of(pharmacyCode, since))
                .map(rs -> {
                    List<OffsetDateTime> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(r.getOffsetDateTime("closed_at"));
                    }
                    return out;
                });
    }

    public Uni<Void> insertSanction(SqlClient tx, SanctionRequested s) {
        Tuple t = Tuple.tuple().addString(s.sanctionId()).addString(s.caseId()).addString(s.pharmacyCode()).addString(s.regionCode())
                .addString(s.level().name()).addBoolean(s.policeReferral()).addString(s.reason())
                .addInteger(s.confirmedCasesIn12Months()).addString(s.decidedBy()).addOffsetDateTime(s.decidedAt())
                .addString(s.category() == null ? null : s.category().name());
        return tx.preparedQuery("INSERT INTO sanction (sanction_id, case_id, pharmacy_code, region_code, level, police_referral,"
                        + " reason, confirmed_cases, decided_by, decided_at, category)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .execute(t).replaceWithVoid();
    }

    // ---- reads -----------------------------------------------------------------------------

    public Uni<Optional<AuditCase>> find(SqlClient client, String caseId) {
        return client.preparedQuery("SELECT " + CASE_COLUMNS + " FROM audit_case WHERE case_id = $1").execute(Tuple.of(caseId))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(toCase(rs.iterator().next())));
    }

    /** Newest first; null filters mean "any". */
    public Uni<List<AuditCase>> list(SqlClient client, String pharmacyCode, CaseStatus status, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + CASE_COLUMNS + " FROM audit_case WHERE true");
        Tuple t = Tuple.tuple();
        if (pharmacyCode != null) {
            t.addString(pharmacyCode);
            sql.append(" AND pharmacy_code = $").append(t.size());
        }
        if (status != null) {
            t.addString(status.name());
            sql.append(" AND status = $").append(t.size());
        }
        t.addInteger(limit);
        sql.append(" ORDER BY opened_at DESC, case_id LIMIT $").append(t.size());
        return client.preparedQuery(sql.toString()).execute(t).map(rs -> {
            List<AuditCase> out = new ArrayList<>();
            for (Row r : rs) {
                out.add(toCase(r));
            }
            return out;
        });
    }

    public Uni<List<UUID>> alertIds(SqlClient client, String caseId) {
        // in the order the patterns happened (event time)
        return client.preparedQuery("SELECT ca.alert_id FROM case_alert ca JOIN alert a ON a.alert_id = ca.alert_id"
                        + " WHERE ca.case_id = $1 ORDER BY a.window_start, a.alert_id").execute(Tuple.of(caseId))
                .map(rs -> {
                    List<UUID> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(r.getUUID("alert_id"));
                    }
                    return out;
                });
    }

    public Uni<List<CaseSettlement>> settlements(SqlClient client, String caseId) {
        return client.preparedQuery("SELECT case_id, setl_id, msg_id, pharmacy_code, status FROM case_settlement WHERE case_id = $1"
                        + " ORDER BY added_at, setl_id")
                .execute(Tuple.of(caseId)).map(CaseStore::toSettlements);
    }

    /** SET-03 for the finance part: every settlement behind a case in this status, optionally of one pharmacy. */
    public Uni<List<CaseSettlement>> settlementsByStatus(SqlClient client, CaseStatus status, String pharmacyCode) {
        String sql = "SELECT case_id, setl_id, msg_id, pharmacy_code, status FROM case_settlement WHERE status = $1"
                + (pharmacyCode == null ? "" : " AND pharmacy_code = $2") + " ORDER BY pharmacy_code, case_id, setl_id";
        Tuple t = pharmacyCode == null ? Tuple.of(status.name()) : Tuple.of(status.name(), pharmacyCode);
        return client.preparedQuery(sql).execute(t).map(CaseStore::toSettlements);
    }

    public Uni<List<CaseEvent>> events(SqlClient client, String caseId) {
        return client.preparedQuery("SELECT seq, type, actor, at, text, evidence, details FROM case_event WHERE case_id = $1 ORDER BY seq")
                .execute(Tuple.of(caseId))
                .map(rs -> {
                    List<CaseEvent> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(new CaseEvent(r.getLong("seq"), CaseEventType.valueOf(r.getString("type")), r.getString("actor"),
                                Beijing.normalize(r.getOffsetDateTime("at")), r.getString("text"), r.getString("evidence"),
                                tree(r.getString("details"))));
                    }
                    return out;
                });
    }

    public Uni<Optional<SanctionRequested>> sanction(SqlClient client, String caseId) {
        return client.preparedQuery("SELECT sanction_id, pharmacy_code, region_code, level, police_referral, case_id, reason,"
                        + " confirmed_cases, decided_by, decided_at, category FROM sanction WHERE case_id = $1")
                .execute(Tuple.of(caseId))
                .map(rs -> {
                    if (rs.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rs.iterator().next();
                    return Optional.of(new SanctionRequested(r.getString("sanction_id"), r.getString("pharmacy_code"),
                            r.getString("region_code"), SanctionRequested.Level.valueOf(r.getString("level")),
                            r.getBoolean("police_referral"), r.getString("case_id"), r.getString("reason"),
                            r.getInteger("confirmed_cases"), r.getString("decided_by"),
                            Beijing.normalize(r.getOffsetDateTime("decided_at")), SanctionRequested.SCHEMA_VERSION,
                            r.getString("category") == null ? null
                                    : cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType.valueOf(r.getString("category"))));
                });
    }

    private static List<CaseSettlement> toSettlements(io.vertx.mutiny.sqlclient.RowSet<Row> rs) {
        List<CaseSettlement> out = new ArrayList<>();
        for (Row r : rs) {
            out.add(new CaseSettlement(r.getString("case_id"), r.getString("setl_id"), r.getString("msg_id"),
                    r.getString("pharmacy_code"), CaseStatus.valueOf(r.getString("status"))));
        }
        return out;
    }

    static AuditCase toCase(Row r) {
        String category = r.getString("category");
        return new AuditCase(r.getString("case_id"), r.getString("pharmacy_code"), r.getString("region_code"), r.getString("title"),
                CaseStatus.valueOf(r.getString("status")), r.getString("opened_by"), Beijing.normalize(r.getOffsetDateTime("opened_at")),
                r.getString("closed_by"), Beijing.normalize(r.getOffsetDateTime("closed_at")), money(r.getBigDecimal("violating_amount")),
                category == null ? null : BehaviourType.valueOf(category), r.getBoolean("severe"), money(r.getBigDecimal("penalty_amount")),
                r.getString("close_reason"));
    }

    private static BigDecimal money(BigDecimal v) {
        return v == null ? null : v.setScale(2);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(String json) {
        return json == null ? null : Json.read(json, LinkedHashMap.class);
    }
}
