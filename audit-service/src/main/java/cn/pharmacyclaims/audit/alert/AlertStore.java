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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private static final String INSERT_ALERT = "INSERT INTO alert (alert_id, dedupe_key, rule_id, rule_name, severity,"
            + " behaviour_type, pharmacy_code, psn_no, terminal_id, prescriber_code, region_code, amount, evidence, window_start,"
            + " window_end, detected_at, schema_version)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
            + " ON CONFLICT (dedupe_key) DO NOTHING";

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
        return tx.preparedQuery(INSERT_ALERT)
                .execute(t)
                .flatMap(rs -> {
                    if (rs.rowCount() == 1) {
                        return addSettlements(tx, id, f.involved()).replaceWith(Optional.of(toAlert(id, f, detectedAt)));
                    }
                    return append(tx, f).replaceWith(Optional.<ViolationAlert>empty());
                });
    }

    /** A finding of one decision, with the time that decision was evaluated. */
    public record Detected(Finding finding, OffsetDateTime detectedAt) {
    }

    /** Thrown when another instance raised one of the batch's new alerts first: retrying the batch appends to it. */
    public static final class ConcurrentAlertException extends RuntimeException {
        ConcurrentAlertException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * {@link #record} for the findings of a whole batch of decisions, in their order, in a handful of
     * statements: the first finding of a new dedupe key creates the alert, every later one (and every
     * finding of a key already stored) appends to it. The stored outcome is the one of recording them
     * one by one: each (alert, settlement) pair is inserted once with the values of its first finding,
     * the amount grows by exactly the settlements added (it always equals the sum of the alert's
     * settlements), the window widens to the span of every finding, seen_count counts the appends,
     * and the open cases holding an appended alert follow it (SET-03).
     *
     * @return for each finding, the new alert to publish or empty
     */
    public Uni<List<Optional<ViolationAlert>>> recordAll(SqlClient tx, List<Detected> found) {
        if (found.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<String> keys = new LinkedHashSet<>();
        found.forEach(x -> keys.add(x.finding().dedupeKey()));
        return tx.preparedQuery("SELECT alert_id, dedupe_key FROM alert WHERE dedupe_key = ANY($1)")
                .execute(Tuple.of((Object) keys.toArray(new String[0])))
                .flatMap(rs -> {
                    Map<String, UUID> ids = new HashMap<>();
                    for (Row r : rs) {
                        ids.put(r.getString("dedupe_key"), r.getUUID("alert_id"));
                    }
                    Plan plan = new Plan();
                    List<Optional<ViolationAlert>> out = new ArrayList<>(found.size());
                    for (Detected x : found) {
                        Finding f = x.finding();
                        UUID id = ids.get(f.dedupeKey());
                        if (id == null) {
                            id = UUID.randomUUID();
                            ids.put(f.dedupeKey(), id);
                            plan.created(id, f, x.detectedAt());
                            out.add(Optional.of(toAlert(id, f, x.detectedAt())));
                        } else {
                            plan.appended(id, f);
                            out.add(Optional.empty());
                        }
                    }
                    return insertAlerts(tx, plan)
                            .flatMap(y -> insertSettlements(tx, plan))
                            .flatMap(added -> updateAppended(tx, plan, added))
                            .flatMap(y -> cases.followAlerts(tx, new ArrayList<>(plan.appends.keySet())))
                            .replaceWith(out);
                });
    }

    /** What one batch does to the alert tables. */
    private static final class Plan {
        final List<Tuple> newAlerts = new ArrayList<>();
        /** (alert, ref) → the settlement row, first finding wins (ON CONFLICT DO NOTHING), in order. */
        final Map<AlertRef, Involved> rows = new LinkedHashMap<>();
        /** The rows a new alert was created with: its amount already counts them. */
        final Set<AlertRef> counted = new HashSet<>();
        final Map<UUID, Append> appends = new LinkedHashMap<>();

        void created(UUID id, Finding f, OffsetDateTime detectedAt) {
            Subject s = f.subject();
            newAlerts.add(Tuple.tuple().addUUID(id).addString(f.dedupeKey()).addString(f.ruleId()).addString(f.ruleName())
                    .addString(f.severity().name()).addString(f.behaviourType().name()).addString(s.pharmacyCode())
                    .addString(s.psnNo()).addString(s.terminalId()).addString(s.prescriberCode()).addString(f.regionCode())
                    .addValue(Numeric.create(f.amount())).addString(f.evidence()).addOffsetDateTime(f.windowStart())
                    .addOffsetDateTime(f.windowEnd()).addOffsetDateTime(detectedAt).addInteger(ViolationAlert.SCHEMA_VERSION));
            for (Involved i : f.involved()) {
                AlertRef key = new AlertRef(id, i.ref());
                if (rows.putIfAbsent(key, i) == null) {
                    counted.add(key);
                }
            }
        }

        void appended(UUID id, Finding f) {
            for (Involved i : f.involved()) {
                rows.putIfAbsent(new AlertRef(id, i.ref()), i);
            }
            appends.merge(id, new Append(1, f.windowStart(), f.windowEnd()), Append::plus);
        }
    }

    private record AlertRef(UUID alertId, String ref) {
    }

    private record Append(int times, OffsetDateTime start, OffsetDateTime end) {
        Append plus(Append o) {
            return new Append(times + o.times, start.isBefore(o.start) ? start : o.start, end.isAfter(o.end) ? end : o.end);
        }
    }

    private Uni<Void> insertAlerts(SqlClient tx, Plan plan) {
        if (plan.newAlerts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(INSERT_ALERT).executeBatch(plan.newAlerts).invoke(rs -> {
            int inserted = 0;
            for (io.vertx.mutiny.sqlclient.RowSet<Row> r = rs; r != null; r = r.next()) {
                inserted += r.rowCount();
            }
            if (inserted != plan.newAlerts.size()) {
                throw new ConcurrentAlertException((plan.newAlerts.size() - inserted) + " of the batch's new alerts were raised meanwhile");
            }
        }).replaceWithVoid();
    }

    /** @return the amount each alert gained from settlements actually added to it by appends */
    private static Uni<Map<UUID, java.math.BigDecimal>> insertSettlements(SqlClient tx, Plan plan) {
        if (plan.rows.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        int n = plan.rows.size();
        UUID[] alert = new UUID[n];
        String[] ref = new String[n];
        String[] setl = new String[n];
        String[] msg = new String[n];
        String[] pharmacy = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        Numeric[] amount = new Numeric[n];
        int k = 0;
        for (Map.Entry<AlertRef, Involved> e : plan.rows.entrySet()) {
            Involved i = e.getValue();
            alert[k] = e.getKey().alertId();
            ref[k] = e.getKey().ref();
            setl[k] = i.setlId();
            msg[k] = i.msgId();
            pharmacy[k] = i.pharmacyCode();
            at[k] = i.occurredAt();
            amount[k] = Numeric.create(i.amount() == null ? java.math.BigDecimal.ZERO : i.amount());
            k++;
        }
        Tuple t = Tuple.tuple().addValue(alert).addValue(ref).addValue(setl).addValue(msg).addValue(pharmacy).addValue(at)
                .addValue(amount);
        return tx.preparedQuery("INSERT INTO alert_settlement (alert_id, ref, setl_id, msg_id, pharmacy_code, occurred_at, amount)"
                        + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],"
                        + " $7::numeric[]) ON CONFLICT (alert_id, ref) DO NOTHING RETURNING alert_id, ref, amount")
                .execute(t)
                .map(rs -> {
                    Map<UUID, java.math.BigDecimal> gained = new HashMap<>();
                    for (Row r : rs) {
                        UUID id = r.getUUID("alert_id");
                        if (!plan.counted.contains(new AlertRef(id, r.getString("ref")))) {
                            gained.merge(id, r.getBigDecimal("amount"), java.math.BigDecimal::add);
                        }
                    }
                    return gained;
                });
    }

    private static Uni<Void> updateAppended(SqlClient tx, Plan plan, Map<UUID, java.math.BigDecimal> gained) {
        if (plan.appends.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = plan.appends.size();
        UUID[] ids = new UUID[n];
        Numeric[] delta = new Numeric[n];
        OffsetDateTime[] start = new OffsetDateTime[n];
        OffsetDateTime[] end = new OffsetDateTime[n];
        Integer[] times = new Integer[n];
        int k = 0;
        // sorted: two batches appending to the same alerts lock them in one order
        for (Map.Entry<UUID, Append> e : new java.util.TreeMap<>(plan.appends).entrySet()) {
            ids[k] = e.getKey();
            delta[k] = Numeric.create(gained.getOrDefault(e.getKey(), java.math.BigDecimal.ZERO));
            start[k] = e.getValue().start();
            end[k] = e.getValue().end();
            times[k] = e.getValue().times();
            k++;
        }
        return tx.preparedQuery("UPDATE alert a SET amount = a.amount + u.delta, window_start = least(a.window_start, u.ws),"
                        + " window_end = greatest(a.window_end, u.we), seen_count = a.seen_count + u.n, last_seen_at = now()"
                        + " FROM unnest($1::uuid[], $2::numeric[], $3::timestamptz[], $4::timestamptz[], $5::int[])"
                        + " AS u(id, delta, ws, we, n) WHERE a.alert_id = u.id")
                .execute(Tuple.of(ids, delta, start, end, times)).replaceWithVoid();
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

    /** Which of these dedupe keys have an alert: one statement for a batch's keys ({@link #exists} asks one key). */
    public Uni<Set<String>> existingKeys(SqlClient tx, Collection<String> dedupeKeys) {
        if (dedupeKeys.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery("SELECT dedupe_key FROM alert WHERE dedupe_key = ANY($1)")
                .execute(Tuple.of((Object) dedupeKeys.toArray(new String[0])))
                .map(rs -> {
                    Set<String> keys = new HashSet<>();
                    for (Row r : rs) {
                        keys.add(r.getString(0));
                    }
                    return keys;
                });
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
