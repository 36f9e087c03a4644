package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.audit.pharmacy.Pharmacy;
import cn.pharmacyclaims.audit.pharmacy.PharmacyStore;
import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.json.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The rule state of one batch of decisions, in memory. {@link #load} reads, in a few bulk
 * statements, every row the batch can read or change: the settlements the batch's cancellations
 * and settlement ids can hit, the rows of each person's window around the batch's event times that
 * a rule can use ({@link #personWindows}), the newest rows of each terminal's window as far as
 * AUD-07 likely needs them ({@link #firstPages}), the daily counts around its days, its pharmacies.
 * {@link #apply} then plays the decisions in record order exactly as {@link RuleState#apply} +
 * {@link RuleState#observe} would one transaction at a time (an insert that conflicts changes
 * nothing, a cancellation removes by setlId or msgId, the daily count is clamped at 0, AUD-08 loads
 * a spiking pharmacy's day only while it has no alert), and {@link #flush} writes the net change
 * back in a few statements. The rules see the same findings as on the one-decision path, from fewer
 * rows: the rows a rule cannot use are not read.
 *
 * <p>Rows the bulk reads return are the database state at the start of the batch (nothing is
 * written before {@link #flush}); the batch's own changes live in {@link #inserted} and
 * {@link #deleted} and are laid over them for every read.
 */
public final class WindowBatch {
    /**
     * Event time only, and sorts are stable: rows with the same time keep the order the database gave
     * them (index order), the batch's own rows after them, as a query after each insert would list them.
     */
    private static final Comparator<SettledFact> BY_TIME = Comparator.comparing(SettledFact::at);
    /** AUD-07: rows of a terminal's window read per page when the first page (of the load) fell short. */
    private static final int BURST_NEXT_PAGE = 4 * RuleState.BURST_PAGE;
    /** The first page's upper bound when the terminal's trail is to be kept: every later row too. */
    private static final Instant FAR_FUTURE = Instant.parse("9999-01-01T00:00:00Z");

    private final SqlConnection conn;
    private final RuleBook book;
    private final PharmacyStore pharmacyStore;
    private final boolean countsRead;
    private final boolean terminalWindows;

    /** Rows as they were at the start of the batch, by setl_id. */
    private final Map<String, SettledFact> initial = new HashMap<>();
    /** Each person's initial rows that a rule can use ({@link #personWindows}), sorted by time. */
    private final Map<String, List<SettledFact>> initialByPsn = new HashMap<>();
    /**
     * AUD-07: each terminal's initial rows read so far, sorted by time: marks ({@link SettledFact#mark})
     * from the newest back, full rows from {@link #fullFrom} on.
     */
    private final Map<String, List<SettledFact>> initialByTerminal = new HashMap<>();
    /** Initial rows by msg_id, complete for the msgIds of the batch's cancellations and reversals. */
    private final Map<String, List<SettledFact>> initialByMsg = new HashMap<>();
    /** setl_ids of initial rows the batch removed. */
    private final Set<String> deleted = new LinkedHashSet<>();
    /** Rows the batch added and still holds, in insertion order, by setl_id; and by person and terminal. */
    private final Map<String, SettledFact> inserted = new LinkedHashMap<>();
    private final Map<String, List<SettledFact>> insertedByPsn = new HashMap<>();
    private final Map<String, List<SettledFact>> insertedByTerminal = new HashMap<>();
    /**
     * AUD-07: each terminal's initial rows are read newest first and only so far back as the batch
     * likely needs; the rows after this instant are all in {@link #initialByTerminal} (no entry: all
     * rows of the envelope are). Older ones are read when a decision needs them ({@link #burstWindow}).
     */
    private final Map<String, Instant> terminalCut = new HashMap<>();
    /** AUD-07: from this instant on, a terminal's rows in {@link #initialByTerminal} are full rows (a crossing read them). */
    private final Map<String, Instant> fullFrom = new HashMap<>();
    /** AUD-07: the latest event time of the batch's settlements at each terminal (nothing later is read). */
    private final Map<String, Instant> terminalTop = new HashMap<>();
    /** AUD-07: the start of each terminal's envelope (the batch's first settlement there less the window). */
    private final Map<String, Instant> terminalFrom = new HashMap<>();
    /** AUD-07: the terminals' newest marks kept between batches (null: none kept), and this batch's lease of them. */
    private final TerminalTrails trails;
    private TerminalTrails.Lease lease = TerminalTrails.Lease.NONE;
    private int rowsRead;

    private final Map<String, Pharmacy> pharmacies = new HashMap<>();
    /** Daily counts: the days of each pharmacy whose initial state was read, and their current values. */
    private final Map<String, LocalDate[]> countRanges = new HashMap<>();
    private final Map<String, Map<LocalDate, Integer>> counts = new HashMap<>();
    private final Map<String, Map<LocalDate, Integer>> initialCounts = new HashMap<>();
    /** Decrements of days that were not read (no settlement of the batch looks at them). */
    private final Map<String, Map<LocalDate, Integer>> blindDecrements = new TreeMap<>();

    private WindowBatch(SqlConnection conn, RuleBook book, PharmacyStore pharmacyStore, TerminalTrails trails) {
        this.conn = conn;
        this.trails = trails;
        this.book = book;
        this.pharmacyStore = pharmacyStore;
        this.countsRead = book.enabled(VolumeSpikeRule.ID);
        // only AUD-07 reads a terminal's window (and needs one terminal at a time across instances)
        this.terminalWindows = book.enabled(TerminalBurstRule.ID);
    }

    /** @param trails the terminals' kept marks to lease (AUD-07), or null to read them all from the database */
    static Uni<WindowBatch> load(SqlConnection conn, List<SettlementDecision> decisions, RuleBook book, PharmacyStore store,
                                 TerminalTrails trails) {
        WindowBatch b = new WindowBatch(conn, book, store, trails);
        return b.loadFor(decisions).replaceWith(b);
    }

    // ---- loading ------------------------------------------------------------------------------

    /** The batch's settlements of one person or at one terminal: when, where, what. */
    private static final class Reach {
        Instant first;
        Instant last;
        int settlements;
        final Set<String> pharmacies = new HashSet<>();
        final Set<String> items = new LinkedHashSet<>();
        boolean round;
        boolean tiny;

        void add(SettledFact f, RuleBook book) {
            first = first == null || f.at().isBefore(first) ? f.at() : first;
            last = last == null || f.at().isAfter(last) ? f.at() : last;
            settlements++;
            pharmacies.add(f.pharmacyCode());
            f.items().forEach(i -> items.add(i.itemCode()));
            round |= book.roundTotal(f.total());
            tiny |= book.tinyTotal(f.total());
        }
    }

    private Uni<Void> loadFor(List<SettlementDecision> decisions) {
        int trailing = book.volumeSpike().trailingDays();
        Map<String, Reach> persons = new HashMap<>();
        Map<String, Reach> terminals = new HashMap<>();
        Set<String> setlIds = new HashSet<>();
        Set<String> msgIds = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (SettlementDecision d : decisions) {
            if (d.pharmacyCode() != null) {
                codes.add(d.pharmacyCode());
            }
            DecisionEventType type = d.eventType();
            if (type == DecisionEventType.SETTLED && d.psnNo() != null && d.pharmacyCode() != null) {
                SettledFact f = SettledFact.of(d);
                Instant at = f.at();
                setlIds.add(f.setlId());
                persons.computeIfAbsent(f.psnNo(), k -> new Reach()).add(f, book);
                if (f.terminalId() != null && terminalWindows) {
                    terminals.computeIfAbsent(f.terminalId(), k -> new Reach()).add(f, book);
                }
                LocalDate day = Beijing.date(at);
                countRanges.merge(f.pharmacyCode(), new LocalDate[]{day.minusDays(trailing), day},
                        (a, b) -> new LocalDate[]{min(a[0], b[0]), max(a[1], b[1])});
            } else if (type == DecisionEventType.CANCELLED || type == DecisionEventType.REVERSED) {
                if (d.setlId() != null) {
                    setlIds.add(d.setlId());
                }
                if (d.msgId() != null) {
                    msgIds.add(d.msgId());
                }
            }
        }
        terminals.forEach((t, r) -> {
            terminalTop.put(t, micros(r.last));
            terminalFrom.put(t, micros(r.first.minus(book.terminalHorizon())));
        });
        // the terminals whose newest marks the first page reads (not those kept in memory)
        Map<String, Reach> unread = new HashMap<>(terminals);
        // One terminal at a time across instances (AUD-07 counts must see each other's rows), taken
        // before anything is read and in one order, so that two batches never wait for each other.
        return lockTerminals(terminals.keySet())
                .invoke(x -> leaseTrails(terminals.keySet(), unread))
                .flatMap(x -> Uni.combine().all().unis(
                                byIds(setlIds, msgIds),
                                personWindows(persons),
                                firstPages(unread),
                                loadCounts(),
                                pharmacyStore.findAll(conn, codes))
                        .with(results -> {
                            @SuppressWarnings("unchecked")
                            List<SettledFact> byIds = (List<SettledFact>) results.get(0);
                            @SuppressWarnings("unchecked")
                            Map<String, Pharmacy> known = (Map<String, Pharmacy>) results.get(4);
                            for (SettledFact f : byIds) {
                                if (f.msgId() != null && msgIds.contains(f.msgId())) {
                                    initialByMsg.computeIfAbsent(f.msgId(), k -> new ArrayList<>()).add(f);
                                }
                            }
                            for (int i = 0; i < 2; i++) {
                                @SuppressWarnings("unchecked")
                                List<SettledFact> rows = (List<SettledFact>) results.get(i);
                                rows.forEach(f -> initial.putIfAbsent(f.setlId(), f));
                            }
                            @SuppressWarnings("unchecked")
                            List<SettledFact> personRows = (List<SettledFact>) results.get(1);
                            index(personRows);
                            pharmacies.putAll(known);
                            return null;
                        }))
                .flatMap(x -> {
                    // pharmacies named in the persons' histories (AUD-02 distances) that the batch does not name itself
                    Set<String> more = new HashSet<>();
                    for (SettledFact f : initial.values()) {
                        if (!pharmacies.containsKey(f.pharmacyCode()) && !codes.contains(f.pharmacyCode())) {
                            more.add(f.pharmacyCode());
                        }
                    }
                    return more.isEmpty() ? Uni.createFrom().voidItem()
                            : pharmacyStore.findAll(conn, more).invoke(pharmacies::putAll).replaceWithVoid();
                });
    }

    /** Each person's rows, sorted by time. Rows with the same time keep the order the query gave. */
    private void index(List<SettledFact> personRows) {
        for (SettledFact f : personRows) {
            initialByPsn.computeIfAbsent(f.psnNo(), k -> new ArrayList<>()).add(f);
        }
        initialByPsn.values().forEach(l -> l.sort(BY_TIME));
    }

    private Uni<Void> lockTerminals(Set<String> terminals) {
        if (terminals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1, h) FROM"
                        + " (SELECT DISTINCT hashtext(t) AS h FROM unnest($2::text[]) AS t ORDER BY 1) AS ordered")
                .execute(Tuple.of(RuleState.TERMINAL_LOCK_CLASS, terminals.toArray(new String[0])))
                .replaceWithVoid();
    }

    /** The persons' windows, filtered in the database to the rows a rule can use (see the caller). */
    static final String PERSON_WINDOWS = "SELECT r.setl_id, r.msg_id, r.psn_no, r.pharmacy_code, r.terminal_id, r.region_code,"
            + " r.occurred_at, r.total, r.items"
            + " FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::timestamptz[],"
            + " $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::bool[], $11::timestamptz[],"
            + " $12::timestamptz[]) AS w(k, f, t, ph, hf, ht, sf, st, items, round, df, dt)"
            + " CROSS JOIN LATERAL (SELECT " + RuleState.FACT_COLUMNS + ","
            + " bool_or(occurred_at BETWEEN w.hf AND w.ht AND pharmacy_code IS DISTINCT FROM w.ph) OVER () AS hop"
            + " FROM recent_settlement WHERE psn_no = w.k AND occurred_at BETWEEN w.f AND w.t) AS r"
            + " WHERE (r.hop AND r.occurred_at BETWEEN w.hf AND w.ht)"
            + " OR (r.occurred_at BETWEEN w.sf AND w.st AND r.items LIKE ANY (string_to_array(w.items, E'\\n')))"
            + " OR (w.round AND r.total > 0 AND mod(r.total, $13::numeric) = 0)"
            + " OR (r.total < $14::numeric AND r.occurred_at BETWEEN w.df AND w.dt)";

    /**
     * AUD-07 needs of a terminal's window only whether it holds the threshold's distinct persons (the
     * rule's alert then gains just the current settlement), except at the crossing, whose alert names
     * the whole window ({@link #fullWindow}). So a page of a terminal's newest rows is read as marks
     * (setl_id, person, time: no amounts, no items), for all the batch's terminals in one statement.
     */
    static final String PAGE = "SELECT w.k AS terminal_id, r.setl_id, r.psn_no, r.occurred_at"
            + " FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::int[]) AS w(k, f, t, n)"
            + " CROSS JOIN LATERAL (SELECT setl_id, psn_no, occurred_at FROM recent_settlement"
            + " WHERE terminal_id = w.k AND occurred_at BETWEEN w.f AND w.t ORDER BY occurred_at DESC LIMIT w.n) AS r";

    /**
     * AUD-07: each terminal's newest marks of its envelope: the threshold's persons and half as many
     * again (a busy terminal's newest rows usually hold the threshold's distinct persons within that;
     * twice the threshold, before step 27, read a third more rows, mostly unused, in the machine's
     * most expensive statement) plus one per settlement of the batch there. Older ones are paged in
     * when a decision needs them
     * ({@link #nextPage}): the work per decision is bounded by what it takes to see the threshold's
     * persons, or by the window when they are not there.
     */
    private Uni<Void> firstPages(Map<String, Reach> terminals) {
        if (terminals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Duration w = book.terminalHorizon();
        int n = terminals.size();
        String[] keys = new String[n];
        OffsetDateTime[] from = new OffsetDateTime[n];
        OffsetDateTime[] to = new OffsetDateTime[n];
        Integer[] limits = new Integer[n];
        int i = 0;
        for (Map.Entry<String, Reach> e : terminals.entrySet()) {
            Reach r = e.getValue();
            keys[i] = e.getKey();
            from[i] = Beijing.at(r.first.minus(w));
            // a terminal whose trail will be kept needs every row after its cut, later events' too
            to[i] = Beijing.at(lease.active() ? FAR_FUTURE : r.last);
            limits[i] = firstPageMarks(book.terminalBurstPersons()) + r.settlements;
            i++;
        }
        return conn.preparedQuery(PAGE)
                .execute(Tuple.of(keys, from, to, limits))
                .invoke(rs -> {
                    Map<String, List<SettledFact>> pages = marks(rs);
                    for (int k = 0; k < n; k++) {
                        List<SettledFact> page = pages.get(keys[k]);
                        if (page != null) {
                            takePage(keys[k], page, limits[k], null);
                        }
                    }
                })
                .replaceWithVoid();
    }

    /** AUD-07: how many of a terminal's newest marks the first page reads besides the batch's own: 1.5 × the threshold. */
    static int firstPageMarks(int thresholdPersons) {
        int min = Math.max(1, thresholdPersons);
        return min + (min + 1) / 2;
    }

    /** Each terminal's marks, as one page statement shipped them. */
    private Map<String, List<SettledFact>> marks(RowSet<Row> rs) {
        Map<String, List<SettledFact>> out = new HashMap<>();
        for (Row r : rs) {
            String terminal = r.getString("terminal_id");
            out.computeIfAbsent(terminal, k -> new ArrayList<>()).add(SettledFact.mark(r.getString("setl_id"), r.getString("psn_no"),
                    terminal, Beijing.normalize(r.getOffsetDateTime("occurred_at"))));
        }
        rowsRead += rs.size();
        return out;
    }

    /**
     * Adds a page of a terminal's marks (all older than the rows it holds) and moves its cut, so that
     * the rows after the cut are all held: a full page may miss rows at its oldest instant, which are
     * left out and the cut is there; a page that is not full holds every row of its range, down to
     * {@code from} (null: the envelope, nothing older is ever asked for).
     */
    private void takePage(String terminal, List<SettledFact> page, int limit, Instant from) {
        List<SettledFact> rows = new ArrayList<>(page);
        rows.sort(BY_TIME);
        Instant cut;
        if (rows.size() < limit) {
            cut = from == null ? null : micros(from).minusNanos(1000);
        } else {
            Instant oldest = rows.get(0).at();
            rows.removeIf(f -> f.at().equals(oldest));
            cut = oldest;
        }
        List<SettledFact> held = initialByTerminal.get(terminal);
        if (held != null) {
            rows.addAll(held);
        }
        initialByTerminal.put(terminal, rows);
        if (cut == null) {
            terminalCut.remove(terminal);
        } else {
            terminalCut.put(terminal, cut);
        }
    }

    /** The rows a settlement of the batch could conflict with, or a cancellation or reversal could remove. */
    private Uni<List<SettledFact>> byIds(Set<String> setlIds, Set<String> msgIds) {
        if (setlIds.isEmpty() && msgIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery("SELECT " + RuleState.FACT_COLUMNS + " FROM recent_settlement"
                        + " WHERE setl_id = ANY($1) OR msg_id = ANY($2)")
                .execute(Tuple.of(setlIds.toArray(new String[0]), msgIds.toArray(new String[0])))
                .map(this::facts);
    }

    /**
     * Each person's rows around the batch's events that a rule can use, and only those: AUD-02 reads
     * the rows near the events only when some are at another pharmacy than the batch's (then all of
     * them: its evidence lists the window); AUD-03 only rows of the events' items near them; AUD-05
     * only round totals within its 30 days, when an event is round; AUD-09 only tiny totals of the
     * events' days, when an event is tiny. Each rule filters its own rows again, so reading more than
     * this (items are matched as text) changes nothing. A person settling every few minutes at one
     * pharmacy thus ships a handful of rows, not a month of them; and only as far back as the reasons
     * that apply reach (a month only for a round total).
     */
    private Uni<List<SettledFact>> personWindows(Map<String, Reach> persons) {
        Duration hopping = book.hoppingHorizon();
        Duration splitting = book.splittingHorizon();
        List<String> keys = new ArrayList<>();
        List<OffsetDateTime> from = new ArrayList<>();
        List<OffsetDateTime> to = new ArrayList<>();
        List<String> pharmacy = new ArrayList<>();
        List<OffsetDateTime> hopFrom = new ArrayList<>();
        List<OffsetDateTime> hopTo = new ArrayList<>();
        List<OffsetDateTime> splitFrom = new ArrayList<>();
        List<OffsetDateTime> splitTo = new ArrayList<>();
        List<String> items = new ArrayList<>();
        List<Boolean> round = new ArrayList<>();
        List<OffsetDateTime> dayFrom = new ArrayList<>();
        List<OffsetDateTime> dayTo = new ArrayList<>();
        for (Map.Entry<String, Reach> e : persons.entrySet()) {
            Reach r = e.getValue();
            boolean splits = splitting != null && !r.items.isEmpty();
            Duration reach = longest(hopping, splits ? splitting : null, r.round ? book.roundingHorizon() : null,
                    r.tiny ? book.tinyHorizon() : null);
            if (reach == null) {
                continue; // no rule looks at this person's other settlements
            }
            keys.add(e.getKey());
            from.add(Beijing.at(r.first.minus(reach)));
            to.add(Beijing.at(r.last.plus(reach)));
            // one pharmacy: rows elsewhere are what AUD-02 looks for; several: the batch itself hops
            pharmacy.add(r.pharmacies.size() == 1 ? r.pharmacies.iterator().next() : null);
            hopFrom.add(hopping == null ? null : Beijing.at(r.first.minus(hopping)));
            hopTo.add(hopping == null ? null : Beijing.at(r.last.plus(hopping)));
            splitFrom.add(splits ? Beijing.at(r.first.minus(splitting)) : null);
            splitTo.add(splits ? Beijing.at(r.last.plus(splitting)) : null);
            items.add(splits ? String.join("\n", r.items.stream().map(WindowBatch::itemPattern).toList()) : null);
            round.add(r.round);
            // the events' calendar days lie within a day of them
            dayFrom.add(r.tiny ? Beijing.at(r.first.minus(book.tinyHorizon())) : null);
            dayTo.add(r.tiny ? Beijing.at(r.last.plus(book.tinyHorizon())) : null);
        }
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple t = Tuple.tuple().addValue(keys.toArray(new String[0])).addValue(times(from)).addValue(times(to))
                .addValue(pharmacy.toArray(new String[0])).addValue(times(hopFrom)).addValue(times(hopTo))
                .addValue(times(splitFrom)).addValue(times(splitTo)).addValue(items.toArray(new String[0]))
                .addValue(round.toArray(new Boolean[0])).addValue(times(dayFrom)).addValue(times(dayTo))
                .addValue(book.roundUnit() == null ? null : Numeric.create(book.roundUnit()))
                .addValue(book.tinyBelow() == null ? null : Numeric.create(book.tinyBelow()));
        // LATERAL keeps it one index range scan per person; the filter runs in the database, on rows it reads anyway
        return conn.preparedQuery(PERSON_WINDOWS)
                .execute(t)
                .map(this::facts);
    }

    private static OffsetDateTime[] times(List<OffsetDateTime> list) {
        return list.toArray(new OffsetDateTime[0]);
    }

    /** The longest of these durations (nulls left out), or null. */
    private static Duration longest(Duration... ds) {
        Duration out = null;
        for (Duration d : ds) {
            if (d != null && (out == null || d.compareTo(out) > 0)) {
                out = d;
            }
        }
        return out;
    }

    /**
     * A LIKE pattern for stored items (JSON text) that name this item code: its JSON string. A code that
     * JSON would escape matches every row (the rule filters them).
     */
    static String itemPattern(String code) {
        StringBuilder p = new StringBuilder("%\"");
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                return "%";
            }
            if (c == '%' || c == '_') {
                p.append('\\');
            }
            p.append(c);
        }
        return p.append("\"%").toString();
    }

    private List<SettledFact> facts(RowSet<Row> rs) {
        rowsRead += rs.size();
        return RuleState.toFacts(rs);
    }

    private Uni<Void> loadCounts() {
        if (countRanges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = countRanges.size();
        String[] codes = new String[n];
        LocalDate[] from = new LocalDate[n];
        LocalDate[] to = new LocalDate[n];
        int i = 0;
        for (Map.Entry<String, LocalDate[]> e : countRanges.entrySet()) {
            codes[i] = e.getKey();
            from[i] = e.getValue()[0];
            to[i] = e.getValue()[1];
            i++;
        }
        return conn.preparedQuery("SELECT c.pharmacy_code, c.day, c.settled FROM unnest($1::text[], $2::date[], $3::date[]) AS w(p, f, t)"
                        + " JOIN pharmacy_daily_count c ON c.pharmacy_code = w.p AND c.day BETWEEN w.f AND w.t")
                .execute(Tuple.of(codes, from, to))
                .invoke(rs -> {
                    for (Row r : rs) {
                        String code = r.getString("pharmacy_code");
                        LocalDate day = r.getLocalDate("day");
                        int settled = r.getInteger("settled");
                        counts.computeIfAbsent(code, k -> new HashMap<>()).put(day, settled);
                        initialCounts.computeIfAbsent(code, k -> new HashMap<>()).put(day, settled);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * The alert keys {@link #apply} will ask about for these decisions, as far as they are known
     * before applying them: AUD-07's key of every settlement at a terminal and the bucket's before
     * (a crossing asks whether it continues that alert), AUD-08's key of every
     * settlement's pharmacy and day. The caller reads them in one statement instead of one round trip
     * each (a busy batch asks about every terminal it touches); a key not foreseen here is still asked
     * on its own, so this is a read ahead, never a change of what the rules see.
     */
    public Set<String> alertKeysAhead(List<SettlementDecision> decisions) {
        Set<String> keys = new LinkedHashSet<>();
        for (SettlementDecision d : decisions) {
            if (d.eventType() == DecisionEventType.SETTLED && d.psnNo() != null && d.pharmacyCode() != null) {
                SettledFact f = SettledFact.of(d);
                if (f.terminalId() != null && terminalWindows) {
                    keys.add(TerminalBurstRule.dedupeKey(f.terminalId(), f.at(), book.terminalHorizon()));
                    // asked at a crossing (one more key per terminal and bucket, not a round trip per crossing)
                    keys.add(TerminalBurstRule.previousKey(f.terminalId(), f.at(), book.terminalHorizon()));
                }
                keys.add(VolumeSpikeRule.dedupeKey(f.pharmacyCode(), Beijing.date(f.at())));
            }
        }
        return keys;
    }

    // ---- applying, in record order -------------------------------------------------------------

    /**
     * Applies one decision to the windows and answers what the rules see for it, as
     * {@link RuleState#apply} followed by {@link RuleState#observe}. The answer is immediate unless
     * a spiking pharmacy's day has to be read (AUD-08).
     *
     * @param alertExists whether a dedupe key has an alert, counting the alerts of the batch's earlier decisions
     */
    public Uni<Observation> apply(SettlementDecision d, Function<String, Uni<Boolean>> alertExists) {
        SettledFact current = null;
        DecisionEventType type = d.eventType();
        if (type == DecisionEventType.SETTLED) {
            if (d.psnNo() != null && d.pharmacyCode() != null) {
                current = SettledFact.of(d);
                insert(current);
            }
        } else if (type == DecisionEventType.CANCELLED || type == DecisionEventType.REVERSED) {
            remove(d);
        }
        Pharmacy pharmacy = d.pharmacyCode() == null ? null : pharmacies.get(d.pharmacyCode());
        if (current == null) {
            return Uni.createFrom().item(new Observation(d, null, pharmacy, List.of(), List.of(), Map.of(), Map.of(), List.of()));
        }
        SettledFact cur = current;
        Instant at = cur.at();
        Duration person = book.personHorizon();
        SettledFact stored = present(cur.setlId());
        List<SettledFact> personHistory = window(initialByPsn.get(cur.psnNo()), insertedByPsn.get(cur.psnNo()),
                at.minus(person), at.plus(person), cur, stored != null && cur.psnNo().equals(stored.psnNo()) ? stored : null);
        Set<String> codes = new LinkedHashSet<>();
        codes.add(cur.pharmacyCode());
        personHistory.forEach(f -> codes.add(f.pharmacyCode()));
        Map<String, Pharmacy> known = new HashMap<>();
        for (String code : codes) {
            Pharmacy p = pharmacies.get(code);
            if (p != null) {
                known.put(code, p);
            }
        }
        Uni<RuleState.BurstWindow> burst = cur.terminalId() == null || !terminalWindows
                ? Uni.createFrom().item(RuleState.BurstWindow.none(cur))
                : burstWindow(cur, stored != null && cur.terminalId().equals(stored.terminalId()) ? stored : null, alertExists);
        Map<LocalDate, Integer> dailyCounts = dailyCounts(cur);
        return burst.flatMap(b -> pharmacyDay(cur, dailyCounts, alertExists)
                .map(day -> new Observation(d, cur, pharmacy, personHistory, b.rows(), known, dailyCounts, day, b::open)));
    }

    /**
     * AUD-07, as {@link RuleState} decides it: whether the trailing window holds the threshold's distinct
     * persons, seen in its newest rows (marks), read further back only as far as that takes. While the
     * burst's key has an alert, those rows are all the rule needs (its alert gains just the current
     * settlement); a window that is no burst is walked to its start; at the crossing the whole window
     * is read in full, as its settlements are the alert's evidence, or, when the crossing continues the
     * previous bucket's alert, only the part from its own bucket's start (the rest is that alert's).
     */
    private Uni<RuleState.BurstWindow> burstWindow(SettledFact cur, SettledFact own, Function<String, Uni<Boolean>> alertExists) {
        String terminal = cur.terminalId();
        Duration w = book.terminalHorizon();
        Instant lo = micros(cur.at().minus(w));
        Instant hi = micros(cur.at());
        String key = TerminalBurstRule.dedupeKey(terminal, cur.at(), w);
        return alertExists.apply(key).flatMap(open -> seen(terminal, lo, hi, cur, own).flatMap(rows -> {
            if (open) {
                return Uni.createFrom().item(new RuleState.BurstWindow(rows, key));
            }
            if (Windows.distinct(rows, SettledFact::psnNo) < book.terminalBurstPersons()) {
                return Uni.createFrom().item(new RuleState.BurstWindow(rows, null)); // no burst: these are the whole window
            }
            // a crossing: when it continues the previous bucket's alert, only its own bucket is evidence
            String previous = TerminalBurstRule.previousKey(terminal, cur.at(), w);
            return alertExists.apply(previous).flatMap(goesOn -> {
                Instant start = micros(TerminalBurstRule.keyStart(cur.at(), w));
                Uni<Instant> evidenceFrom = goesOn
                        ? burstBefore(terminal, lo, hi, start, cur, own).map(wentOn -> wentOn ? start : lo)
                        : Uni.createFrom().item(lo);
                return evidenceFrom.flatMap(from -> fullWindow(terminal, from)).map(x -> new RuleState.BurstWindow(
                        window(initialByTerminal.get(terminal), insertedByTerminal.get(terminal), lo, hi, cur, own),
                        goesOn ? previous : null));
            });
        }));
    }

    /**
     * AUD-07: whether the window's rows before the key's start hold the threshold's distinct persons,
     * as {@link TerminalBurstRule} will ask (the burst went on up to the turn of the bucket, so the
     * previous alert names them), paging back until they do or the window is complete.
     */
    private Uni<Boolean> burstBefore(String terminal, Instant lo, Instant hi, Instant start, SettledFact cur, SettledFact own) {
        List<SettledFact> rows = window(initialByTerminal.get(terminal), insertedByTerminal.get(terminal), lo, hi, cur, own);
        if (rows.stream().allMatch(f -> f.at().isBefore(start))) {
            return Uni.createFrom().item(false); // the current settlement's row is an earlier one: the whole window
        }
        List<SettledFact> before = rows.stream().filter(f -> f.at().isBefore(start)).toList();
        if (Windows.distinct(before, SettledFact::psnNo) >= book.terminalBurstPersons()) {
            return Uni.createFrom().item(true);
        }
        Instant cut = terminalCut.get(terminal);
        if (cut == null || cut.isBefore(lo)) {
            return Uni.createFrom().item(false); // all of them are held: a lull before the turn
        }
        return nextPage(terminal, lo, BURST_NEXT_PAGE).flatMap(x -> burstBefore(terminal, lo, hi, start, cur, own));
    }

    /** {@link #newest}, reading older pages of the terminal until it can answer. */
    private Uni<List<SettledFact>> seen(String terminal, Instant lo, Instant hi, SettledFact cur, SettledFact own) {
        List<SettledFact> rows = newest(terminal, lo, hi, cur, own);
        if (rows != null) {
            return Uni.createFrom().item(rows);
        }
        return nextPage(terminal, lo, BURST_NEXT_PAGE).flatMap(x -> seen(terminal, lo, hi, cur, own));
    }

    /**
     * The batch's own rows of the terminal within [lo, hi], the current settlement, and the initial rows
     * newest first until the threshold's distinct persons are among them (or all of the window's); null
     * when the initial rows held end (the terminal's cut) before that and before {@code lo}.
     */
    private List<SettledFact> newest(String terminal, Instant lo, Instant hi, SettledFact current, SettledFact own) {
        int min = book.terminalBurstPersons();
        List<SettledFact> out = new ArrayList<>();
        Set<String> persons = new HashSet<>();
        for (SettledFact f : insertedByTerminal.getOrDefault(terminal, List.of())) {
            if (!f.at().isBefore(lo) && !f.at().isAfter(hi)) {
                out.add(f);
                persons.add(f.psnNo());
            }
        }
        if (own == null || own.at().isBefore(lo) || own.at().isAfter(hi)) {
            out.add(current);
            persons.add(current.psnNo());
        }
        List<SettledFact> rows = initialByTerminal.getOrDefault(terminal, List.of());
        for (int i = firstAtOrAfter(rows, hi.plusNanos(1)) - 1; i >= 0 && persons.size() < min; i--) {
            SettledFact f = rows.get(i);
            if (f.at().isBefore(lo)) {
                return sorted(out);
            }
            if (!deleted.contains(f.setlId())) {
                out.add(f);
                persons.add(f.psnNo());
            }
        }
        if (persons.size() >= min) {
            return sorted(out);
        }
        Instant cut = terminalCut.get(terminal);
        return cut == null || cut.isBefore(lo) ? sorted(out) : null;
    }

    private static List<SettledFact> sorted(List<SettledFact> rows) {
        rows.sort(BY_TIME);
        return rows;
    }

    /** AUD-07: the next page of a terminal's marks, older than its cut and not before {@code lo}. */
    private Uni<Void> nextPage(String terminal, Instant lo, int limit) {
        Instant cut = terminalCut.get(terminal);
        return conn.preparedQuery(PAGE)
                .execute(Tuple.of(new String[]{terminal}, new OffsetDateTime[]{Beijing.at(lo)}, new OffsetDateTime[]{Beijing.at(cut)},
                        new Integer[]{limit}))
                .flatMap(rs -> {
                    takePage(terminal, marks(rs).getOrDefault(terminal, List.of()), limit, lo);
                    // a full page of one instant moves nothing: read a larger one
                    return cut.equals(terminalCut.get(terminal)) ? nextPage(terminal, lo, 2 * limit) : Uni.createFrom().voidItem();
                });
    }

    /**
     * AUD-07's crossing: the terminal's full rows from {@code lo} to its latest settlement in the batch,
     * in place of the marks held there (once per terminal and batch, unless an earlier window is asked).
     */
    private Uni<Void> fullWindow(String terminal, Instant lo) {
        Instant full = fullFrom.get(terminal);
        if (full != null && !full.isAfter(lo)) {
            return Uni.createFrom().voidItem();
        }
        // Up to the batch's latest settlement there, or up to the cut when that is later (the rows held
        // start after it: a kept trail or a first page of later events, step 39), so that every row
        // from lo on is held afterwards and the cut can move down to lo. (Through burstWindow the cut is
        // below the current settlement by now, as its first settlement there pages down to it; this
        // keeps the cut from claiming rows that were not read whatever the order of calls.)
        Instant top = terminalTop.get(terminal);
        Instant cut = terminalCut.get(terminal);
        if ((cut == null || cut.isBefore(lo)) && initialByTerminal.getOrDefault(terminal, List.of()).stream().allMatch(f -> f.at().isBefore(lo))) {
            // every row from lo on is held already and none is: the table has none to read (the usual case of
            // a crossing that continues the previous bucket's alert, step 40: it starts at its own settlement)
            fullFrom.put(terminal, lo);
            return Uni.createFrom().voidItem();
        }
        Instant upTo = cut != null && cut.isAfter(top) ? cut : top;
        return conn.preparedQuery("SELECT " + RuleState.FACT_COLUMNS + " FROM recent_settlement"
                        + " WHERE terminal_id = $1 AND occurred_at BETWEEN $2 AND $3 ORDER BY occurred_at")
                .execute(Tuple.of(terminal, Beijing.at(lo), Beijing.at(upTo)))
                .invoke(rs -> {
                    List<SettledFact> rows = new ArrayList<>();
                    List<SettledFact> later = new ArrayList<>();
                    for (SettledFact f : initialByTerminal.getOrDefault(terminal, List.of())) {
                        if (f.at().isBefore(lo)) {
                            rows.add(f);
                        } else if (f.at().isAfter(upTo)) {
                            later.add(f); // no window of this batch reaches them; its trail keeps them (marks)
                        }
                    }
                    rows.addAll(facts(rs));
                    rows.addAll(later);
                    initialByTerminal.put(terminal, rows);
                    fullFrom.put(terminal, lo);
                    if (cut != null && !cut.isBefore(lo)) {
                        terminalCut.put(terminal, lo.minusNanos(1000)); // complete from lo on now
                    }
                })
                .replaceWithVoid();
    }

    private void insert(SettledFact f) {
        String id = f.setlId();
        if (present(id) != null) {
            return; // ON CONFLICT (setl_id) DO NOTHING: the stored row stays, the count does not move
        }
        // as it would be read back: microseconds, Beijing offset
        SettledFact stored = new SettledFact(f.setlId(), f.msgId(), f.psnNo(), f.pharmacyCode(), f.terminalId(), f.regionCode(),
                Beijing.at(micros(f.at())), f.total(), f.items());
        inserted.put(id, stored);
        insertedByPsn.computeIfAbsent(stored.psnNo(), k -> new ArrayList<>()).add(stored);
        if (stored.terminalId() != null) {
            insertedByTerminal.computeIfAbsent(stored.terminalId(), k -> new ArrayList<>()).add(stored);
        }
        countSettled(f.pharmacyCode(), Beijing.date(f.at()));
    }

    /** The row the table holds now under this setl_id, or null. */
    private SettledFact present(String setlId) {
        SettledFact f = inserted.get(setlId);
        if (f != null) {
            return f;
        }
        return deleted.contains(setlId) ? null : initial.get(setlId);
    }

    /** DELETE ... WHERE setl_id = $1 OR msg_id = $2, and the daily counts of what it removed. */
    private void remove(SettlementDecision d) {
        Map<String, SettledFact> hit = new LinkedHashMap<>();
        if (d.setlId() != null) {
            SettledFact f = present(d.setlId());
            if (f != null) {
                hit.put(f.setlId(), f);
            }
        }
        if (d.msgId() != null) {
            for (SettledFact f : initialByMsg.getOrDefault(d.msgId(), List.of())) {
                if (present(f.setlId()) == f) {
                    hit.putIfAbsent(f.setlId(), f);
                }
            }
            for (SettledFact f : inserted.values()) {
                if (d.msgId().equals(f.msgId())) {
                    hit.putIfAbsent(f.setlId(), f);
                }
            }
        }
        for (SettledFact f : hit.values()) {
            if (inserted.remove(f.setlId()) == null) {
                deleted.add(f.setlId());
            } else {
                insertedByPsn.get(f.psnNo()).removeIf(x -> x == f);
                if (f.terminalId() != null) {
                    insertedByTerminal.get(f.terminalId()).removeIf(x -> x == f);
                }
            }
            uncount(f.pharmacyCode(), Beijing.date(f.at()));
        }
    }

    /**
     * The live rows of one person or terminal within [from, to], in event-time order, with the current
     * settlement added when its own row is not among them ({@link RuleState#withCurrent}).
     *
     * @param initialRows the key's rows at the start of the batch, sorted by time
     * @param insertedRows the key's rows the batch added
     * @param own the row stored under the current settlement's setlId when it has this key, else null
     */
    private List<SettledFact> window(List<SettledFact> initialRows, List<SettledFact> insertedRows, Instant from, Instant to,
                                     SettledFact current, SettledFact own) {
        Instant lo = micros(from);
        Instant hi = micros(to);
        List<SettledFact> out = new ArrayList<>();
        if (initialRows != null) {
            boolean removals = !deleted.isEmpty();
            for (int i = firstAtOrAfter(initialRows, lo); i < initialRows.size(); i++) {
                SettledFact f = initialRows.get(i);
                if (f.at().isAfter(hi)) {
                    break;
                }
                // a row the batch removed (and maybe added again: then it is among the inserted ones)
                if (!removals || !deleted.contains(f.setlId())) {
                    out.add(f);
                }
            }
        }
        boolean mixed = false;
        if (insertedRows != null) {
            for (SettledFact f : insertedRows) {
                if (!f.at().isBefore(lo) && !f.at().isAfter(hi)) {
                    out.add(f);
                    mixed = true;
                }
            }
        }
        if (mixed) {
            out.sort(BY_TIME);
        }
        // the window holds the current setlId exactly when its stored row has this key and lies in the range
        if (own == null || own.at().isBefore(lo) || own.at().isAfter(hi)) {
            out.add(current);
        }
        return out;
    }

    /** Index of the first row at or after {@code t} in rows sorted by time. */
    private static int firstAtOrAfter(List<SettledFact> rows, Instant t) {
        int lo = 0;
        int hi = rows.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rows.get(mid).at().isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private Map<LocalDate, Integer> dailyCounts(SettledFact cur) {
        if (!countsRead) {
            return Map.of();
        }
        LocalDate day = Beijing.date(cur.at());
        Map<LocalDate, Integer> mine = counts.getOrDefault(cur.pharmacyCode(), Map.of());
        Map<LocalDate, Integer> out = new HashMap<>();
        for (int i = 0; i <= book.volumeSpike().trailingDays(); i++) {
            LocalDate d = day.minusDays(i);
            Integer v = mine.get(d);
            if (v != null) {
                out.put(d, v);
            }
        }
        return out;
    }

    private Uni<List<SettledFact>> pharmacyDay(SettledFact cur, Map<LocalDate, Integer> dailyCounts,
                                              Function<String, Uni<Boolean>> alertExists) {
        LocalDate day = Beijing.date(cur.at());
        if (dailyCounts.isEmpty() || !book.volumeSpike().spiking(dailyCounts, day)) {
            return Uni.createFrom().item(List.of());
        }
        return alertExists.apply(VolumeSpikeRule.dedupeKey(cur.pharmacyCode(), day)).flatMap(exists -> {
            if (exists) {
                return Uni.createFrom().item(List.<SettledFact>of());
            }
            OffsetDateTime start = day.atStartOfDay(Beijing.ZONE).toOffsetDateTime();
            Instant lo = start.toInstant();
            Instant hi = start.plusDays(1).toInstant();
            // the table still holds the batch's initial state: read enough to make up for what the batch removed
            return conn.preparedQuery("SELECT " + RuleState.FACT_COLUMNS + " FROM recent_settlement WHERE pharmacy_code = $1"
                            + " AND occurred_at >= $2 AND occurred_at < $3 ORDER BY occurred_at LIMIT $4")
                    .execute(Tuple.of(cur.pharmacyCode(), start, start.plusDays(1), RuleState.PHARMACY_DAY_LIMIT + deleted.size()))
                    .map(rs -> {
                        List<SettledFact> out = new ArrayList<>();
                        for (SettledFact f : RuleState.toFacts(rs)) {
                            if (!deleted.contains(f.setlId()) && !inserted.containsKey(f.setlId())) {
                                out.add(f);
                            }
                        }
                        for (SettledFact f : inserted.values()) {
                            if (f.pharmacyCode().equals(cur.pharmacyCode()) && !f.at().isBefore(lo) && f.at().isBefore(hi)) {
                                out.add(f);
                            }
                        }
                        out.sort(BY_TIME);
                        return out.size() > RuleState.PHARMACY_DAY_LIMIT ? List.copyOf(out.subList(0, RuleState.PHARMACY_DAY_LIMIT)) : out;
                    });
        });
    }

    private boolean countRead(String code, LocalDate day) {
        LocalDate[] range = countRanges.get(code);
        return range != null && !day.isBefore(range[0]) && !day.isAfter(range[1]);
    }

    /** INSERT ... ON CONFLICT DO UPDATE SET settled = settled + 1. */
    private void countSettled(String code, LocalDate day) {
        // every settlement's own day was read (loadFor), so its count is known
        counts.computeIfAbsent(code, k -> new HashMap<>()).merge(day, 1, Integer::sum);
    }

    /** UPDATE ... SET settled = greatest(settled - 1, 0): a missing day stays missing. */
    private void uncount(String code, LocalDate day) {
        if (countRead(code, day)) {
            Map<LocalDate, Integer> mine = counts.get(code);
            Integer v = mine == null ? null : mine.get(day);
            if (v != null) {
                mine.put(day, Math.max(v - 1, 0));
            }
        } else {
            // nothing in the batch reads or adds to this day: k clamped decrements are greatest(settled - k, 0)
            blindDecrements.computeIfAbsent(code, k -> new TreeMap<>()).merge(day, 1, Integer::sum);
        }
    }

    // ---- writing back ---------------------------------------------------------------------------

    /** Writes the batch's net change to the rule state tables (in the batch's transaction). */
    public Uni<Void> flush() {
        return deleteRemoved().flatMap(x -> insertAdded()).flatMap(x -> writeCounts());
    }

    private Uni<Void> deleteRemoved() {
        if (deleted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("DELETE FROM recent_settlement WHERE setl_id = ANY($1)")
                .execute(Tuple.of((Object) deleted.toArray(new String[0]))).replaceWithVoid();
    }

    private Uni<Void> insertAdded() {
        if (inserted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = inserted.size();
        String[] setl = new String[n];
        String[] msg = new String[n];
        String[] psn = new String[n];
        String[] pharmacy = new String[n];
        String[] terminal = new String[n];
        String[] region = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        Numeric[] total = new Numeric[n];
        String[] items = new String[n];
        int i = 0;
        for (SettledFact f : inserted.values()) {
            setl[i] = f.setlId();
            msg[i] = f.msgId();
            psn[i] = f.psnNo();
            pharmacy[i] = f.pharmacyCode();
            terminal[i] = f.terminalId();
            region[i] = f.regionCode();
            at[i] = f.occurredAt();
            total[i] = Numeric.create(f.total());
            items[i] = Json.write(f.items());
            i++;
        }
        Tuple t = Tuple.tuple().addValue(setl).addValue(msg).addValue(psn).addValue(pharmacy).addValue(terminal)
                .addValue(region).addValue(at).addValue(total).addValue(items);
        return conn.preparedQuery("INSERT INTO recent_settlement (" + RuleState.FACT_COLUMNS + ")"
                        + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
                        + " $7::timestamptz[], $8::numeric[], $9::text[]) ON CONFLICT (setl_id) DO NOTHING")
                .execute(t).replaceWithVoid();
    }

    /**
     * Daily counts as deltas (another instance may count the same pharmacy meanwhile), sorted so that
     * two batches lock the rows in one order: new or grown days are upserted, shrunk days updated.
     */
    private Uni<Void> writeCounts() {
        List<Object[]> add = new ArrayList<>();
        List<Object[]> subtract = new ArrayList<>();
        for (String code : new TreeSet<>(counts.keySet())) {
            Map<LocalDate, Integer> before = initialCounts.getOrDefault(code, Map.of());
            for (Map.Entry<LocalDate, Integer> e : new TreeMap<>(counts.get(code)).entrySet()) {
                Integer was = before.get(e.getKey());
                if (was == null) {
                    add.add(new Object[]{code, e.getKey(), e.getValue()});
                } else if (e.getValue() > was) {
                    add.add(new Object[]{code, e.getKey(), e.getValue() - was});
                } else if (e.getValue() < was) {
                    subtract.add(new Object[]{code, e.getKey(), e.getValue() - was});
                }
            }
        }
        blindDecrements.forEach((code, days) -> days.forEach((day, k) -> subtract.add(new Object[]{code, day, -k})));
        Uni<Void> adding = add.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery("INSERT INTO pharmacy_daily_count (pharmacy_code, day, settled)"
                        + " SELECT * FROM unnest($1::text[], $2::date[], $3::int[])"
                        + " ON CONFLICT (pharmacy_code, day) DO UPDATE SET settled = pharmacy_daily_count.settled + EXCLUDED.settled")
                .execute(columns(add)).replaceWithVoid();
        return adding.flatMap(x -> subtract.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery("UPDATE pharmacy_daily_count c SET settled = greatest(c.settled + u.n, 0)"
                        + " FROM unnest($1::text[], $2::date[], $3::int[]) AS u(p, d, n) WHERE c.pharmacy_code = u.p AND c.day = u.d")
                .execute(columns(subtract)).replaceWithVoid());
    }

    private static Tuple columns(List<Object[]> rows) {
        String[] codes = new String[rows.size()];
        LocalDate[] days = new LocalDate[rows.size()];
        Integer[] values = new Integer[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            codes[i] = (String) rows.get(i)[0];
            days[i] = (LocalDate) rows.get(i)[1];
            values[i] = (Integer) rows.get(i)[2];
        }
        return Tuple.of(codes, days, values);
    }

    // ---- the terminals' trails (AUD-07 marks kept between batches) -------------------------------

    /**
     * Under the terminals' locks: leases their kept trails; a terminal with one starts from its marks
     * and cut as if a page had read them, and is not read by the first page.
     */
    private void leaseTrails(Set<String> terminals, Map<String, Reach> unread) {
        if (trails == null) {
            return;
        }
        lease = trails.lease(terminals);
        for (String t : lease.terminals()) {
            TerminalTrails.Trail trail = lease.trail(t);
            if (trail != null) {
                initialByTerminal.put(t, trail.marks());
                terminalCut.put(t, trail.cut());
                unread.remove(t);
            }
        }
    }

    /** The lease to give back after the commit ({@link TerminalTrails#keep}). */
    public TerminalTrails.Lease lease() {
        return lease;
    }

    /**
     * After the commit: each leased terminal's committed rows after its cut, as marks, the newest
     * {@link TerminalTrails#perTerminal()} of them (the cut moves up to the newest one left out, and
     * rows at that instant go too, so that every row after the cut is held).
     */
    public Map<String, TerminalTrails.Trail> trails() {
        if (!lease.active()) {
            return Map.of();
        }
        long now = trails.now();
        int keep = trails.perTerminal();
        Map<String, TerminalTrails.Trail> out = new HashMap<>();
        for (String t : lease.terminals()) {
            // a trail carried on keeps the age of its read from the database: max-age bounds how long
            // a row written by someone else can stay unseen, however busy the terminal
            TerminalTrails.Trail leased = lease.trail(t);
            long madeAt = leased != null ? leased.madeAt() : now;
            Instant cut = terminalCut.containsKey(t) ? terminalCut.get(t) : terminalFrom.get(t).minusNanos(1000);
            List<SettledFact> rows = new ArrayList<>();
            for (SettledFact f : initialByTerminal.getOrDefault(t, List.of())) {
                if (f.at().isAfter(cut) && !deleted.contains(f.setlId())) {
                    rows.add(f);
                }
            }
            for (SettledFact f : insertedByTerminal.getOrDefault(t, List.of())) {
                if (f.at().isAfter(cut)) {
                    rows.add(f);
                }
            }
            rows.sort(BY_TIME);
            if (rows.size() > keep) {
                Instant c = rows.get(rows.size() - keep - 1).at();
                rows.removeIf(f -> !f.at().isAfter(c));
                cut = c;
            }
            out.put(t, TerminalTrails.Trail.of(cut, t, rows, madeAt));
        }
        return out;
    }

    /**
     * Terminals whose rows the batch changes without having leased them (a cancellation of a settlement
     * at a terminal the batch does not settle at, or all of them when AUD-07 is off): their trails
     * are dropped before the commit and after it.
     */
    public Set<String> unleasedChanges() {
        Set<String> out = new HashSet<>();
        Set<String> leased = lease.terminals();
        for (String id : deleted) {
            SettledFact f = initial.get(id);
            if (f != null && f.terminalId() != null && !leased.contains(f.terminalId())) {
                out.add(f.terminalId());
            }
        }
        for (SettledFact f : inserted.values()) {
            if (f.terminalId() != null && !leased.contains(f.terminalId())) {
                out.add(f.terminalId());
            }
        }
        return out;
    }

    // ---- small helpers --------------------------------------------------------------------------

    /** PostgreSQL keeps microseconds; the client truncates what it sends. */
    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    /** For tests and metrics: how many stored rows the batch's reads of recent_settlement returned (marks included). */
    public int rowsRead() {
        return rowsRead;
    }
}
