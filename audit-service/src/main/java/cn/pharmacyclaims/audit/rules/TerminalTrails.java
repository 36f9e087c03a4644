package cn.pharmacyclaims.audit.rules;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * AUD-07: each terminal's newest marks (who settled there and when), kept in memory between batches
 * so that a batch need not read them again: the intake's dearest statement read about 29 marks per
 * decision (docs/performance.md, session 12 and step 39). A batch {@linkplain #lease leases} the
 * trails of its terminals after taking their advisory locks, uses them in place of the first page
 * read, and {@linkplain #keep gives back} what they hold after its commit.
 *
 * <p>A trail is worth keeping only while every row of {@code recent_settlement} at its terminal is
 * written by this instance's batches. So the trails are kept only while this instance owns every
 * partition of {@code claims.settlement-decisions} (the intake's loop says so at each rebalance,
 * {@link #owning}); are all dropped when anything else writes the table (the one-decision path, the
 * retention purge); and a batch that deletes rows of a terminal it did not lease drops that
 * terminal's trail before and after its commit. A trail is also dropped after {@code max-age}, which
 * bounds what a writer nobody foresaw (a previous owner's batch committing after a rebalance) can
 * leave unseen. Whatever is dropped is read from the database again, as before the trails.
 *
 * <p>Races: a trail is leased (taken out of the store) only under its terminal's lock, so no other
 * batch can commit rows of that terminal while it is in use; a lease is given back only if nobody
 * leased or dropped that terminal since, and nothing dropped all trails ({@link Lease#generation}).
 * A batch that fails gives nothing back: its terminals are read from the database next time.
 */
@ApplicationScoped
public class TerminalTrails {
    private static final Logger LOG = Logger.getLogger(TerminalTrails.class);

    /**
     * The marks of one terminal: exactly its committed rows after {@code cut} (a row at {@code cut}
     * or before it may exist and is not here), sorted by event time. Held as three arrays, not as
     * mark objects: a mark object with its two time objects is about three times the size, and at
     * 2,000 terminals audit's resident memory came within 8 MB of the 512 MB target (run H11).
     */
    public static final class Trail {
        private final Instant cut;
        private final String[] setlIds;
        private final String[] psnNos;
        private final long[] micros;
        private final String terminal;
        private final long madeAt;

        private Trail(Instant cut, String terminal, String[] setlIds, String[] psnNos, long[] micros, long madeAt) {
            this.cut = cut;
            this.terminal = terminal;
            this.setlIds = setlIds;
            this.psnNos = psnNos;
            this.micros = micros;
            this.madeAt = madeAt;
        }

        /** @param marks the terminal's rows after {@code cut}, sorted by time (only id, person and time are kept) */
        public static Trail of(Instant cut, String terminal, List<SettledFact> marks, long madeAt) {
            int n = marks.size();
            String[] ids = new String[n];
            String[] psns = new String[n];
            long[] at = new long[n];
            for (int i = 0; i < n; i++) {
                SettledFact f = marks.get(i);
                ids[i] = f.setlId();
                psns[i] = f.psnNo();
                at[i] = ChronoUnit.MICROS.between(Instant.EPOCH, f.at());
            }
            return new Trail(cut, terminal, ids, psns, at, madeAt);
        }

        public Instant cut() {
            return cut;
        }

        public long madeAt() {
            return madeAt;
        }

        /** The marks, as the page statement would give them (microseconds, Beijing offset), sorted by time. */
        public List<SettledFact> marks() {
            List<SettledFact> out = new ArrayList<>(setlIds.length);
            for (int i = 0; i < setlIds.length; i++) {
                Instant at = Instant.EPOCH.plus(micros[i], ChronoUnit.MICROS);
                out.add(SettledFact.mark(setlIds[i], psnNos[i], terminal, Beijing.at(at)));
            }
            return out;
        }
    }

    /** The trails a batch took out, and what giving them back is checked against. */
    public static final class Lease {
        static final Lease NONE = new Lease(-1, Map.of(), Map.of());

        private final long generation;
        private final Map<String, Long> stamps;
        private final Map<String, Trail> trails;

        Lease(long generation, Map<String, Long> stamps, Map<String, Trail> trails) {
            this.generation = generation;
            this.stamps = stamps;
            this.trails = trails;
        }

        /** Whether the batch should build trails to give back (the store is on). */
        public boolean active() {
            return generation >= 0;
        }

        /** The trail of a leased terminal, or null: read it from the database. */
        public Trail trail(String terminal) {
            return trails.get(terminal);
        }

        public Set<String> terminals() {
            return stamps.keySet();
        }
    }

    private final boolean enabled;
    private final int perTerminal;
    private final int maxTerminals;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private final Counter hits;
    private final Counter misses;
    private final Counter drops;

    /** Least recently leased first; at most {@code maxTerminals}. */
    private final LinkedHashMap<String, Trail> trails = new LinkedHashMap<>(1024, 0.75f, true);
    /** The stamp of each terminal's outstanding lease; a lease whose stamp is gone or replaced gives nothing back. */
    private final Map<String, Long> leased = new HashMap<>();
    private long stamp;
    private long generation;
    private boolean owning;

    @Inject
    public TerminalTrails(AuditConfig cfg, MeterRegistry meters) {
        this(cfg.intake().terminalTrails().enabled(), cfg.intake().terminalTrails().marks(),
                cfg.intake().terminalTrails().terminals(), cfg.intake().terminalTrails().maxAge(), System::nanoTime, meters);
    }

    TerminalTrails(boolean enabled, int perTerminal, int maxTerminals, Duration maxAge, LongSupplier clock, MeterRegistry meters) {
        this.enabled = enabled;
        this.perTerminal = Math.max(1, perTerminal);
        this.maxTerminals = Math.max(1, maxTerminals);
        this.maxAgeNanos = maxAge.toNanos();
        this.clock = clock;
        this.hits = Counter.builder("pc.audit.terminal-trails.hits")
                .description("AUD-07: terminals of a batch whose newest marks were kept in memory (no page read)").register(meters);
        this.misses = Counter.builder("pc.audit.terminal-trails.misses")
                .description("AUD-07: terminals of a batch whose newest marks were read from the database").register(meters);
        this.drops = Counter.builder("pc.audit.terminal-trails.drops")
                .description("times every kept trail was dropped (a rebalance, the one-decision path, the purge)").register(meters);
        Gauge.builder("pc.audit.terminal-trails.size", this, TerminalTrails::size)
                .description("terminals whose newest marks are kept in memory").register(meters);
    }

    /** The intake's loop: whether this instance now owns every partition of the decisions topic. */
    public synchronized void owning(boolean every) {
        if (every != owning) {
            LOG.infof("AUD-07 terminal trails %s (%s every partition of the decisions)",
                    every && enabled ? "kept" : "not kept", every ? "owning" : "not owning");
        }
        owning = every;
        dropAll();
    }

    /** Whether trails are kept now. */
    public synchronized boolean keeping() {
        return enabled && owning;
    }

    /**
     * Takes the terminals' trails out of the store, to be given back after the batch commits. Call
     * only while holding the terminals' advisory locks, in the batch's transaction.
     */
    public synchronized Lease lease(Collection<String> terminals) {
        if (!enabled || !owning || terminals.isEmpty()) {
            return Lease.NONE;
        }
        long now = clock.getAsLong();
        Map<String, Long> stamps = new HashMap<>();
        Map<String, Trail> out = new HashMap<>();
        for (String t : terminals) {
            long s = ++stamp;
            leased.put(t, s);
            stamps.put(t, s);
            Trail trail = trails.remove(t);
            if (trail != null && now - trail.madeAt() <= maxAgeNanos) {
                out.put(t, trail);
            }
        }
        hits.increment(out.size());
        misses.increment(terminals.size() - out.size());
        return new Lease(generation, stamps, out);
    }

    /** After the batch's commit: its terminals' trails as they are now (made by {@link WindowBatch#trails}). */
    public synchronized void keep(Lease lease, Map<String, Trail> now) {
        if (!lease.active() || lease.generation != generation || !owning) {
            return;
        }
        for (Map.Entry<String, Trail> e : now.entrySet()) {
            String t = e.getKey();
            Long s = lease.stamps.get(t);
            if (s != null && s.equals(leased.get(t))) {
                leased.remove(t);
                trails.put(t, e.getValue());
            }
        }
        while (trails.size() > maxTerminals) {
            var eldest = trails.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** A batch removed rows of these terminals without leasing them: before its commit and after it. */
    public synchronized void drop(Collection<String> terminals) {
        for (String t : terminals) {
            trails.remove(t);
            leased.remove(t);
        }
    }

    /** Something other than a leasing batch wrote the table: no kept trail can be trusted. */
    public synchronized void dropAll() {
        generation++;
        if (!trails.isEmpty() || !leased.isEmpty()) {
            drops.increment();
        }
        trails.clear();
        leased.clear();
    }

    /** How many marks a trail keeps at most. */
    public int perTerminal() {
        return perTerminal;
    }

    /** The moment a trail made now is stamped with. */
    long now() {
        return clock.getAsLong();
    }

    private synchronized int size() {
        return trails.size();
    }
}
