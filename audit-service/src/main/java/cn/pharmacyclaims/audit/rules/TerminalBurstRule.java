package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * AUD-07 terminal burst (空刷 / 盗刷): one terminal settled for ≥ 20 distinct persons within 10 min.
 *
 * <p>A settlement is in a burst when its trailing window [at − 10 min, at] at its terminal holds ≥ 20
 * distinct persons. The burst's alert is keyed by terminal and the 10-min bucket of that window's
 * start ({@link #dedupeKey}), so every settlement knows its key without reading its window. The first
 * settlement of a key that is in a burst raises the alert with its whole trailing window (the
 * evidence of the crossing); each later one in a burst under the same key, while the alert exists,
 * adds only itself. So every burst settlement is in the alert once, and a decision's work is bounded
 * by what it takes to see 20 distinct persons, not by the window (a benchmark terminal is in a
 * permanent burst of thousands of settlements per window).
 *
 * <p>A burst that goes on past its bucket gets the next bucket's alert at its first settlement
 * there; when the previous bucket's alert exists ({@link #previousKey}), that crossing names only the
 * settlements of its own bucket ({@link #keyStart} on), as the earlier ones of its trailing window
 * are the previous alert's evidence already. Before, each new bucket's alert named its whole
 * trailing window again, so a permanent burst put every settlement into two alerts, and since the
 * buckets fall on the clock, every bursting terminal read and wrote its last ten minutes at the
 * same moment (step 40 in docs/performance.md). It continues only when the window's settlements
 * before the bucket's start hold the threshold themselves, so the burst went on up to the turn and
 * the last of them is in the previous alert; after a lull the crossing names its whole window, as a
 * new burst. (Settlements of the previous bucket that were in no burst themselves, a lull within
 * it, are left in no alert, as within one bucket.)
 */
public final class TerminalBurstRule implements AuditRule {
    public static final String ID = "AUD-07";
    public static final String NAME = "terminal burst";

    private final int minPersons;
    private final Duration window;

    public TerminalBurstRule(int minPersons, Duration window) {
        this.minPersons = minPersons;
        this.window = window;
    }

    @Override
    public String ruleId() {
        return ID;
    }

    /** AUD-07: one alert per terminal and 10-min bucket of the start of a burst settlement's trailing window. */
    public static String dedupeKey(String terminalId, Instant at, Duration window) {
        return ID + "|" + terminalId + "|" + Beijing.bucket(at.minus(window), window);
    }

    /** AUD-07: the key of the bucket before {@link #dedupeKey}'s, whose alert a going burst continues. */
    public static String previousKey(String terminalId, Instant at, Duration window) {
        return dedupeKey(terminalId, at.minus(window), window);
    }

    /** AUD-07: the first instant of the settlements that share {@link #dedupeKey} with one at {@code at}. */
    public static Instant keyStart(Instant at, Duration window) {
        return Beijing.bucketStart(at.minus(window), window).plus(window);
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.settled() || o.current().terminalId() == null) {
            return List.of();
        }
        SettledFact cur = o.current();
        Instant from = cur.at().minus(window);
        // the trailing window, newest first (the current settlement is always in it)
        List<SettledFact> trailing = new ArrayList<>();
        for (SettledFact f : o.terminalHistory()) {
            if (cur.terminalId().equals(f.terminalId()) && !f.at().isBefore(from) && !f.at().isAfter(cur.at())) {
                trailing.add(f);
            }
        }
        trailing.sort(Comparator.comparing(SettledFact::at).reversed());
        if (!burst(trailing)) {
            return List.of();
        }
        String key = dedupeKey(cur.terminalId(), cur.at(), window);
        Subject subject = new Subject(cur.pharmacyCode(), null, cur.terminalId(), null);
        if (o.alertOpen().test(key)) {
            // the burst goes on: its alert gains this settlement only
            return List.of(new Finding(ID, NAME, Severity.HIGHLY_SUSPICIOUS, BehaviourType.GHOST_SWIPES, subject, o.regionCode(),
                    key, List.of(cur.involved()), evidence(cur.terminalId(), Windows.distinct(trailing, SettledFact::psnNo), cur, cur)));
        }
        Instant start = keyStart(cur.at(), window);
        List<SettledFact> own = trailing.stream().filter(f -> !f.at().isBefore(start)).toList();
        if (o.alertOpen().test(previousKey(cur.terminalId(), cur.at(), window)) && !own.isEmpty()
                && burst(trailing.stream().filter(f -> f.at().isBefore(start)).toList())) {
            // the burst went on up to the turn of the bucket (so the previous alert names the window's
            // earlier settlements) and goes on: the new alert starts with the bucket's own settlements
            // "at least": the batch intake sees only the newest rows that hold the threshold, so the
            // exact count would depend on how the decisions were polled
            String evidence = String.format("terminal %s settled for at least %d distinct persons within %d min up to %s:"
                    + " the burst of the alert of the %d min before goes on", cur.terminalId(), minPersons, window.toMinutes(),
                    Beijing.dateHm(cur.at()), window.toMinutes());
            return List.of(new Finding(ID, NAME, Severity.HIGHLY_SUSPICIOUS, BehaviourType.GHOST_SWIPES, subject, o.regionCode(),
                    key, own.stream().map(SettledFact::involved).toList(), evidence));
        }
        // the crossing: the whole trailing window up to and including this settlement
        SettledFact first = trailing.get(trailing.size() - 1);
        return List.of(new Finding(ID, NAME, Severity.HIGHLY_SUSPICIOUS, BehaviourType.GHOST_SWIPES, subject, o.regionCode(),
                key, trailing.stream().map(SettledFact::involved).toList(),
                evidence(cur.terminalId(), Windows.distinct(trailing, SettledFact::psnNo), first, cur)));
    }

    /** Whether these settlements (of one trailing window) hold the threshold's distinct persons. */
    private boolean burst(List<SettledFact> trailing) {
        Set<String> persons = new HashSet<>();
        for (SettledFact f : trailing) {
            if (f.psnNo() != null && persons.add(f.psnNo()) && persons.size() >= minPersons) {
                return true;
            }
        }
        return false;
    }

    /**
     * How many settlements of the trailing window the loaders must give: all of them while the key has
     * no alert, else the newest ones until {@code minPersons} distinct persons are among them.
     */
    public int minPersons() {
        return minPersons;
    }

    public Duration window() {
        return window;
    }

    private String evidence(String terminal, long persons, SettledFact first, SettledFact last) {
        return String.format("terminal %s settled for %d distinct persons between %s and %s (threshold %d within %d min)",
                terminal, persons, Beijing.dateHm(first.at()), Beijing.hm(last.at()), minPersons, window.toMinutes());
    }
}
