package cn.pharmacyclaims.audit.alert;

import cn.pharmacyclaims.audit.cases.CaseStore;
import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.audit.rules.Finding;
import cn.pharmacyclaims.audit.rules.Involved;
import cn.pharmacyclaims.common.events.ViolationAlert;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.SettlementRef;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code alert} table. {@link #record} turns a finding into a new alert, or, when its dedupe
 * key already has one (same pattern, same window), appends the settlements to the stored alert and
 * answers empty: nothing is published a second time.
 */
@ApplicationScoped
public class AlertStore {
    private static final String ALERT_COLUMNS = "alert_id, rule_id, rule_name, severity, behaviour_type, pharmacy_code, psn_no,"
            + " terminal_id, prescriber_code, region_code, amount, evidence, window_start, window_end, detected_at, schema_version";

    private final Pool pool;
    private final CaseStore cases;

    public AlertStore(Pool pool, CaseStore cases) {
        this.pool = pool;
        this.cases = cases;
    }

    /** @return the new alert to publish, or empty when the pattern was already alerted in this window */
    public Uni<Optional<ViolationAlert>> record(SqlClient tx, Finding f, OffsetDateTime detectedAt) {
        UUID id = UUID.randomUUID();
        Subject s = f.subject();
        Tuple t = Tuple.tuple().addUUID(id).addString(f.dedupeKey()).addString(f.ruleId()).addString(f.ruleName())
                .addString(f.severity().name()).addString(f.behaviourType().name()).addString(s.pharmacyCode())
                .addString(s.psnNo()).addString(s.terminalId()).addString(s.prescriberCode()).addString(f.regionCode())
                .addValue(Numeric.create(f.amount())).addString(f.evidence()).addOffsetDateTime(f.windowStart())
                .addOffsetDateTime(f.windowEnd()).addOffsetDateTime(detectedAt).addInteger(ViolationAlert.SCHEMA_VERSION);
        return tx.preparedQuery("INSERT INTO alert (alert_id, dedupe_key, rule_id, rule_name, severity, behaviour_type,"
                        + " pharmacy_code, psn_no, terminal_id, prescriber_code, region_code, amount, evidence, window_start,"
                        + " window_end, detected_at, schema_version)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
                        + " ON CONFLICT (dedupe_key) DO NOTHING")
                .execute(t)
                .flatMap(rs -> {
                    if (rs.rowCount() == 1) {
                        return addSettlements(tx, id, f.involved()).replaceWith(Optional.of(toAlert(id, f, detectedAt)));
                    }
                    return append(tx, f).replaceWith(Optional.<ViolationAlert>empty());
                });
    }

    /**
     * Same pattern, same window: the stored alert gains the new settlements; its amount and window
     * follow, and an open case holding the alert withholds the new settlements too (SET-03).
     */
    private Uni<Void> append(SqlClient tx, Finding f) {
        return tx.preparedQuery("SELECT alert_id FROM alert WHERE dedupe_key = $1").execute(Tuple.of(f.dedupeKey()))
                .flatMap(rs -> {
                    UUID id = rs.iterator().next().getUUID("alert_id");
                    return addSettlements(tx, id, f.involved())
                            .flatMap(x -> tx.preparedQuery("UPDATE alert SET"
                                            + " amount = (SELECT coalesce(sum(amount), 0) FROM alert_settlement WHERE alert_id = $1),"
                                            + " window_start = least(window_start, $2), window_end = greatest(window_end, $3),"
                                            + " seen_count = seen_count + 1, last_seen_at = now() WHERE alert_id = $1")
                                    .execute(Tuple.of(id, f.windowStart(), f.windowEnd())))
                            .flatMap(x -> cases.followAlert(tx, id));
                });
    }

    private Uni<Void> addSettlements(SqlClient tx, UUID id, List<Involved> involved) {
        List<Tuple> rows = new ArrayList<>(involved.size());
        for (Involved i : involved) {
            rows.add(Tuple.tuple().addUUID(id).addString(i.ref()).addString(i.setlId()).addString(i.msgId())
                    .addString(i.pharmacyCode()).addOffsetDateTime(i.occurredAt())
                    .addValue(Numeric.create(i.amount() == null ? java.math.BigDecimal.ZERO : i.amount())));
        }
        return tx.preparedQuery("INSERT INTO alert_settlement (alert_id, ref, setl_id, msg_id, pharmacy_code, occurred_at, amount)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (alert_id, ref) DO NOTHING")
                .executeBatch(rows).replaceWithVoid();
    }

    public Uni<Boolean> exists(SqlClient tx, String dedupeKey) {
        return tx.preparedQuery("SELECT 1 FROM alert WHERE dedupe_key = $1").execute(Tuple.of(dedupeKey)).map(rs -> rs.size() > 0);
    }

    /** The alert as published: times in Beijing time with their offset, amount with 2 decimals. */
    static ViolationAlert toAlert(UUID id, Finding f, OffsetDateTime detectedAt) {
        List<SettlementRef> refs = f.involved().stream()
                .map(i -> new SettlementRef(i.setlId(), i.msgId(), i.pharmacyCode(), Beijing.normalize(i.occurredAt())))
                .toList();
        return new ViolationAlert(id.toString(), f.ruleId(), f.ruleName(), f.severity(), f.behaviourType(), f.subject(),
                f.regionCode(), f.amount(), refs, f.evidence(), Beijing.normalize(f.windowStart()),
                Beijing.normalize(f.windowEnd()), Beijing.normalize(detectedAt), ViolationAlert.SCHEMA_VERSION);
    }

    // ---- auditor queries -------------------------------------------------------------------

    public Uni<Optional<ViolationAlert>> find(UUID id) {
        return pool.preparedQuery("SELECT " + ALERT_COLUMNS + " FROM alert WHERE alert_id = $1").execute(Tuple.of(id))
                .flatMap(rs -> withSettlements(rs))
                .map(list -> list.stream().findFirst());
    }

    /** The alerts with these ids, in the order given; unknown ids are left out. */
    public Uni<List<ViolationAlert>> findAll(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("SELECT " + ALERT_COLUMNS + " FROM alert WHERE alert_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0])))
                .flatMap(this::withSettlements)
                .map(list -> {
                    Map<String, ViolationAlert> byId = new LinkedHashMap<>();
                    list.forEach(a -> byId.put(a.alertId(), a));
                    return ids.stream().map(id -> byId.get(id.toString())).filter(a -> a != null).toList();
                });
    }

    /**
     * Newest first. {@code from}/{@code to} select alerts whose window (the span of their
     * settlements, event time) overlaps [from, to).
     */
    public Uni<List<ViolationAlert>> list(AlertQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + ALERT_COLUMNS + " FROM alert WHERE true");
        Tuple t = Tuple.tuple();
        if (q.pharmacyCode() != null) {
            t.addString(q.pharmacyCode());
            sql.append(" AND pharmacy_code = $").append(t.size());
        }
        if (q.ruleId() != null) {
            t.addString(q.ruleId());
            sql.append(" AND rule_id = $").append(t.size());
        }
        if (q.from() != null) {
            t.addOffsetDateTime(q.from());
            sql.append(" AND window_end >= $").append(t.size());
        }
        if (q.to() != null) {
            t.addOffsetDateTime(q.to());
            sql.append(" AND window_start < $").append(t.size());
        }
        t.addInteger(q.limit());
        sql.append(" ORDER BY detected_at DESC, alert_id LIMIT $").append(t.size());
        return pool.preparedQuery(sql.toString()).execute(t).flatMap(this::withSettlements);
    }

    private Uni<List<ViolationAlert>> withSettlements(io.vertx.mutiny.sqlclient.RowSet<Row> rs) {
        Map<UUID, Row> rows = new LinkedHashMap<>();
        for (Row r : rs) {
            rows.put(r.getUUID("alert_id"), r);
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("SELECT alert_id, setl_id, msg_id, pharmacy_code, occurred_at FROM alert_settlement"
                        + " WHERE alert_id = ANY($1) ORDER BY occurred_at, seq")
                .execute(Tuple.of(rows.keySet().toArray(new UUID[0])))
                .map(srs -> {
                    Map<UUID, List<SettlementRef>> refs = new LinkedHashMap<>();
                    for (Row r : srs) {
                        refs.computeIfAbsent(r.getUUID("alert_id"), k -> new ArrayList<>())
                                .add(new SettlementRef(r.getString("setl_id"), r.getString("msg_id"), r.getString("pharmacy_code"),
                                        Beijing.normalize(r.getOffsetDateTime("occurred_at"))));
                    }
                    List<ViolationAlert> out = new ArrayList<>(rows.size());
                    rows.forEach((id, r) -> out.add(fromRow(r, refs.getOrDefault(id, List.of()))));
                    return out;
                });
    }

    private static ViolationAlert fromRow(Row r, List<SettlementRef> refs) {
        return new ViolationAlert(r.getUUID("alert_id").toString(), r.getString("rule_id"), r.getString("rule_name"),
                Severity.valueOf(r.getString("severity")), BehaviourType.valueOf(r.getString("behaviour_type")),
                new Subject(r.getString("pharmacy_code"), r.getString("psn_no"), r.getString("terminal_id"),
                        r.getString("prescriber_code")),
                r.getString("region_code"), r.getBigDecimal("amount").setScale(2), refs, r.getString("evidence"),
                Beijing.normalize(r.getOffsetDateTime("window_start")), Beijing.normalize(r.getOffsetDateTime("window_end")),
                Beijing.normalize(r.getOffsetDateTime("detected_at")), r.getInteger("schema_version"));
    }
}
