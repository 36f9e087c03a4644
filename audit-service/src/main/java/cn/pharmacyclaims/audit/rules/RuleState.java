package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.audit.pharmacy.Pharmacy;
import cn.pharmacyclaims.audit.pharmacy.PharmacyStore;
import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.json.Json;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule state tables: {@code recent_settlement} (the windows) and {@code pharmacy_daily_count}
 * (AUD-08). Every method runs on the caller's connection, inside the decision's transaction.
 */
@ApplicationScoped
public class RuleState {
    private static final Logger LOG = Logger.getLogger(RuleState.class);
    /** Advisory-lock class for "one terminal at a time" (AUD-07 counts must see each other's rows). */
    static final int TERMINAL_LOCK_CLASS = 7301;
    static final int PHARMACY_DAY_LIMIT = 1000;
    /** AUD-07: newest rows of a terminal's trailing window read first (20 distinct persons are usually among them). */
    static final int BURST_PAGE = 64;
    static final String FACT_COLUMNS =
            "setl_id, msg_id, psn_no, pharmacy_code, terminal_id, region_code, occurred_at, total, items";

    private final Pool pool;
    private final PharmacyStore pharmacies;
    private final RuleBook book;
    private final TerminalTrails trails;

    public RuleState(Pool pool, PharmacyStore pharmacies, RuleBook book, TerminalTrails trails) {
        this.pool = pool;
        this.pharmacies = pharmacies;
        this.book = book;
        this.trails = trails;
    }

    /**
     * Applies the decision to the windows: a settlement enters them, a cancellation or reversal
     * takes its settlement out (CLM-14, CLM-15), a rejection leaves them alone. Answers the decision
     * as a settled fact when it is a settlement the windows can hold, else null.
     */
    public Uni<SettledFact> apply(SqlConnection conn, SettlementDecision d) {
        DecisionEventType type = d.eventType();
        if (type == DecisionEventType.SETTLED) {
            if (d.psnNo() == null || d.pharmacyCode() == null) {
                return Uni.createFrom().nullItem(); // nothing a window could be keyed on
            }
            SettledFact fact = SettledFact.of(d);
            return lockTerminal(conn, fact.terminalId()).flatMap(x -> insert(conn, fact)).replaceWith(fact);
        }
        if (type == DecisionEventType.CANCELLED || type == DecisionEventType.REVERSED) {
            return remove(conn, d).replaceWith((SettledFact) null);
        }
        return Uni.createFrom().nullItem();
    }

    private Uni<Void> lockTerminal(SqlConnection conn, String terminalId) {
        if (terminalId == null) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                .execute(Tuple.of(TERMINAL_LOCK_CLASS, terminalId)).replaceWithVoid();
    }

    private Uni<Void> insert(SqlConnection conn, SettledFact f) {
        Tuple t = Tuple.tuple().addString(f.setlId()).addString(f.msgId()).addString(f.psnNo()).addString(f.pharmacyCode())
                .addString(f.terminalId()).addString(f.regionCode()).addOffsetDateTime(f.occurredAt())
                .addValue(Numeric.create(f.total())).addString(Json.write(f.items()));
        return conn.preparedQuery("INSERT INTO recent_settlement (" + FACT_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                        + " ON CONFLICT (setl_id) DO NOTHING")
                .execute(t)
                .flatMap(rs -> rs.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : conn.preparedQuery("INSERT INTO pharmacy_daily_count (pharmacy_code, day, settled) VALUES ($1, $2, 1)"
                                        + " ON CONFLICT (pharmacy_code, day) DO UPDATE SET settled = pharmacy_daily_count.settled + 1")
                                .execute(Tuple.of(f.pharmacyCode(), Beijing.date(f.at()))).replaceWithVoid());
    }

    private Uni<Void> remove(SqlConnection conn, SettlementDecision d) {
        return conn.preparedQuery("DELETE FROM recent_settlement WHERE setl_id = $1 OR msg_id = $2 RETURNING pharmacy_code, occurred_at")
                .execute(Tuple.of(d.setlId(), d.msgId()))
                .flatMap(rs -> {
                    List<Tuple> days = new ArrayList<>();
                    for (Row r : rs) {
                        days.add(Tuple.of(r.getString("pharmacy_code"), Beijing.date(r.getOffsetDateTime("occurred_at").toInstant())));
                    }
                    if (days.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return conn.preparedQuery("UPDATE pharmacy_daily_count SET settled = greatest(settled - 1, 0)"
                            + " WHERE pharmacy_code = $1 AND day = $2").executeBatch(days).replaceWithVoid();
                });
    }

    /**
     * Loads what the rules look at. {@code alertExists} answers whether a dedupe key already has an
     * alert, so that a spiking pharmacy's whole day is loaded once, not for each of its settlements.
     */
    public Uni<Observation> observe(SqlConnection conn, SettlementDecision d, SettledFact current,
                                    java.util.function.Function<String, Uni<Boolean>> alertExists) {
        return pharmacies.find(conn, d.pharmacyCode()).flatMap(pharmacy -> {
            if (current == null) {
                return Uni.createFrom().item(new Observation(d, null, pharmacy, List.of(), List.of(), Map.of(), Map.of(), List.of()));
            }
            Instant at = current.at();
            Duration person = book.personHorizon();
            return facts(conn, "psn_no", current.psnNo(), at.minus(person), at.plus(person))
                    .flatMap(personHistory -> {
                        Set<String> codes = new LinkedHashSet<>();
                        codes.add(current.pharmacyCode());
                        personHistory.forEach(f -> codes.add(f.pharmacyCode()));
                        return pharmacies.findAll(conn, codes).flatMap(known -> burstWindow(conn, current, alertExists)
                                .flatMap(burst -> dailyCounts(conn, current)
                                        .flatMap(counts -> pharmacyDay(conn, current, counts, alertExists)
                                                .map(day -> new Observation(d, current, pharmacy, withCurrent(personHistory, current),
                                                        burst.rows(), known, counts, day, burst::open)))));
                    });
        });
    }

    /**
     * AUD-07: the settlements of the current one's trailing window at its terminal, and whether the
     * burst's dedupe key has an alert already.
     *
     * @param rows       the trailing window (with the current settlement), or only its newest rows when
     *                   they already hold the threshold's distinct persons and an alert exists (the key's,
     *                   or the previous bucket's, whose burst goes on: then in full from the key's start)
     * @param openKey    the AUD-07 dedupe key when it has an alert, else the previous bucket's key when
     *                   that has one ({@link TerminalBurstRule#previousKey}), else null
     */
    public record BurstWindow(List<SettledFact> rows, String openKey) {
        static BurstWindow none(SettledFact current) {
            return new BurstWindow(List.of(current), null);
        }

        public boolean open(String key) {
            return key.equals(openKey);
        }
    }

    /**
     * AUD-07, bounded: while the burst has an alert, the newest {@link #BURST_PAGE} rows of the
     * trailing window are read, and the whole window only when they do not hold the threshold's
     * distinct persons; without an alert (the crossing, or no burst) the whole trailing window is
     * read, as its settlements are the alert's evidence.
     */
    private Uni<BurstWindow> burstWindow(SqlConnection conn, SettledFact current,
                                         java.util.function.Function<String, Uni<Boolean>> alertExists) {
        if (current.terminalId() == null || !book.enabled(TerminalBurstRule.ID)) {
            return Uni.createFrom().item(BurstWindow.none(current));
        }
        Instant at = current.at();
        Instant from = at.minus(book.terminalHorizon());
        String key = TerminalBurstRule.dedupeKey(current.terminalId(), at, book.terminalHorizon());
        return alertExists.apply(key).flatMap(open -> {
            if (!open) {
                return facts(conn, "terminal_id", current.terminalId(), from, at).flatMap(rows -> {
                    List<SettledFact> window = withCurrent(rows, current);
                    if (Windows.distinct(window, SettledFact::psnNo) < book.terminalBurstPersons()) {
                        return Uni.createFrom().item(new BurstWindow(window, null));
                    }
                    // a crossing: does it continue the previous bucket's alert?
                    String previous = TerminalBurstRule.previousKey(current.terminalId(), at, book.terminalHorizon());
                    return alertExists.apply(previous).map(goesOn -> new BurstWindow(window, goesOn ? previous : null));
                });
            }
            return conn.preparedQuery("SELECT " + FACT_COLUMNS + " FROM recent_settlement WHERE terminal_id = $1"
                            + " AND occurred_at BETWEEN $2 AND $3 ORDER BY occurred_at DESC LIMIT " + BURST_PAGE)
                    .execute(Tuple.of(current.terminalId(), Beijing.at(from), Beijing.at(at)))
                    .map(RuleState::toFacts)
                    .flatMap(newest -> {
                        List<SettledFact> rows = withCurrent(newest, current);
                        if (newest.size() < BURST_PAGE || Windows.distinct(rows, SettledFact::psnNo) >= book.terminalBurstPersons()) {
                            return Uni.createFrom().item(new BurstWindow(rows, key));
                        }
                        // few persons settling many times: the whole window decides
                        return facts(conn, "terminal_id", current.terminalId(), from, at)
                                .map(all -> new BurstWindow(withCurrent(all, current), key));
                    });
        });
    }

    /**
     * The rule state for a whole batch of decisions, loaded in bulk inside the batch's transaction;
     * the batch applies its decisions to it in order and writes it back once ({@link WindowBatch}).
     */
    public Uni<WindowBatch> batch(SqlConnection conn, List<SettlementDecision> decisions) {
        return WindowBatch.load(conn, decisions, book, pharmacies, null);
    }

    /**
     * {@link #batch}, leasing the terminals' kept marks (AUD-07, {@link TerminalTrails}): the caller
     * gives back {@link WindowBatch#trails} after its commit and drops {@link WindowBatch#unleasedChanges}
     * before and after it.
     */
    public Uni<WindowBatch> batchWithTrails(SqlConnection conn, List<SettlementDecision> decisions) {
        return WindowBatch.load(conn, decisions, book, pharmacies, trails);
    }

    /** The current settlement is always in its own windows (also when it was seen before under another event id). */
    static List<SettledFact> withCurrent(List<SettledFact> facts, SettledFact current) {
        if (facts.stream().anyMatch(f -> f.setlId().equals(current.setlId()))) {
            return facts;
        }
        List<SettledFact> out = new ArrayList<>(facts);
        out.add(current);
        return out;
    }

    private Uni<List<SettledFact>> facts(SqlConnection conn, String column, String value, Instant from, Instant to) {
        // column is one of two code constants, never input
        return conn.preparedQuery("SELECT " + FACT_COLUMNS + " FROM recent_settlement WHERE " + column
                        + " = $1 AND occurred_at BETWEEN $2 AND $3 ORDER BY occurred_at")
                .execute(Tuple.of(value, Beijing.at(from), Beijing.at(to)))
                .map(RuleState::toFacts);
    }

    private Uni<Map<LocalDate, Integer>> dailyCounts(SqlConnection conn, SettledFact current) {
        if (!book.enabled(VolumeSpikeRule.ID)) {
            return Uni.createFrom().item(Map.of());
        }
        LocalDate day = Beijing.date(current.at());
        return conn.preparedQuery("SELECT day, settled FROM pharmacy_daily_count WHERE pharmacy_code = $1 AND day BETWEEN $2 AND $3")
                .execute(Tuple.of(current.pharmacyCode(), day.minusDays(book.volumeSpike().trailingDays()), day))
                .map(rs -> {
                    Map<LocalDate, Integer> counts = new HashMap<>();
                    for (Row r : rs) {
                        counts.put(r.getLocalDate("day"), r.getInteger("settled"));
                    }
                    return counts;
                });
    }

    private Uni<List<SettledFact>> pharmacyDay(SqlConnection conn, SettledFact current, Map<LocalDate, Integer> counts,
                                              java.util.function.Function<String, Uni<Boolean>> alertExists) {
        LocalDate day = Beijing.date(current.at());
        if (counts.isEmpty() || !book.volumeSpike().spiking(counts, day)) {
            return Uni.createFrom().item(List.of());
        }
        return alertExists.apply(VolumeSpikeRule.dedupeKey(current.pharmacyCode(), day)).flatMap(exists -> {
            if (exists) {
                return Uni.createFrom().item(List.<SettledFact>of());
            }
            OffsetDateTime start = day.atStartOfDay(Beijing.ZONE).toOffsetDateTime();
            return conn.preparedQuery("SELECT " + FACT_COLUMNS + " FROM recent_settlement WHERE pharmacy_code = $1"
                            + " AND occurred_at >= $2 AND occurred_at < $3 ORDER BY occurred_at LIMIT " + PHARMACY_DAY_LIMIT)
                    .execute(Tuple.of(current.pharmacyCode(), start, start.plusDays(1)))
                    .map(RuleState::toFacts);
        });
    }

    static List<SettledFact> toFacts(RowSet<Row> rs) {
        List<SettledFact> out = new ArrayList<>(rs.size());
        for (Row r : rs) {
            out.add(new SettledFact(r.getString("setl_id"), r.getString("msg_id"), r.getString("psn_no"),
                    r.getString("pharmacy_code"), r.getString("terminal_id"), r.getString("region_code"),
                    Beijing.normalize(r.getOffsetDateTime("occurred_at")), r.getBigDecimal("total"),
                    new LazyItems(r.getString("items"))));
        }
        return out;
    }

    /** Windows never look further back than the longest window: older facts are removed. */
    @Scheduled(every = "${pc.audit.retention.purge-every:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        OffsetDateTime settlementsBefore = OffsetDateTime.now(Beijing.ZONE).minus(book.retention());
        LocalDate countsBefore = LocalDate.now(Beijing.ZONE).minusDays(book.dailyCountRetentionDays());
        return pool.preparedQuery("DELETE FROM recent_settlement WHERE occurred_at < $1").execute(Tuple.of(settlementsBefore))
                .invoke(a -> {
                    if (a.rowCount() > 0) {
                        trails.dropAll(); // a kept trail may hold marks of rows just purged
                    }
                })
                .flatMap(a -> pool.preparedQuery("DELETE FROM pharmacy_daily_count WHERE day < $1").execute(Tuple.of(countsBefore))
                        .invoke(b -> {
                            if (a.rowCount() + b.rowCount() > 0) {
                                LOG.infof("purged %d settlements and %d daily counts from the rule windows", a.rowCount(), b.rowCount());
                            }
                        }))
                .replaceWithVoid();
    }
}
