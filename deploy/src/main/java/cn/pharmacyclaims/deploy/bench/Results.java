package cn.pharmacyclaims.deploy.bench;

import org.HdrHistogram.ConcurrentHistogram;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the load generator observed, safe to record from many response threads at once:
 * latency histograms of the measured window (all requests and per kind), a per-second timeline of
 * the whole run for the plot (by intended send second), outcome and reject-code counts, and the
 * sender's own lag behind the schedule (to tell a slow system from a slow load generator).
 */
public final class Results {

    /** Outcomes that are errors for the target "no errors": anything but a 200/202 answer. */
    public static boolean isError(String outcome) {
        return !outcome.startsWith("200 ") && !outcome.startsWith("202 ");
    }

    private final Schedule schedule;
    private final ConcurrentHistogram all = LatencySummary.newConcurrentHistogram(3);
    private final Map<Workload.Kind, ConcurrentHistogram> byKind = new EnumMap<>(Workload.Kind.class);
    private final ConcurrentHistogram alerts = LatencySummary.newConcurrentHistogram(3);
    private final ConcurrentHistogram[] perSecond;
    private final AtomicLongArray okBySecondCompleted;
    private final AtomicLongArray errorsBySecondIntended;
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomesWarmup = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejectCodes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> unexpectedRejects = new ConcurrentHashMap<>();
    private final LongAdder measuredOk = new LongAdder();
    private final LongAdder measuredSettled = new LongAdder();
    private final LongAdder measuredSent = new LongAdder();
    private final AtomicLong lastMeasuredCompletion = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong maxSenderLagNanos = new AtomicLong();
    private final LongAdder lateSends = new LongAdder();

    public Results(Schedule schedule) {
        this.schedule = schedule;
        for (Workload.Kind k : Workload.Kind.values()) {
            byKind.put(k, LatencySummary.newConcurrentHistogram(3));
        }
        int seconds = schedule.secondOf(Math.max(0, schedule.totalCount() - 1)) + 1;
        perSecond = new ConcurrentHistogram[seconds];
        for (int i = 0; i < seconds; i++) {
            perSecond[i] = LatencySummary.newConcurrentHistogram(2);
        }
        // completions may spill past the schedule's end: room for a minute more
        okBySecondCompleted = new AtomicLongArray(seconds + 60);
        errorsBySecondIntended = new AtomicLongArray(seconds);
    }

    /** Seconds the timeline may span: the schedule's and a minute more for late answers. */
    public int timelineCapacity() {
        return okBySecondCompleted.length();
    }

    public Schedule schedule() {
        return schedule;
    }

    /** The sender took slot {@code i} {@code lagNanos} after its intended time. */
    public void sent(long i, long lagNanos) {
        maxSenderLagNanos.accumulateAndGet(lagNanos, Math::max);
        if (lagNanos > 10_000_000L) {
            lateSends.increment();
        }
        if (schedule.measured(i)) {
            measuredSent.increment();
        }
    }

    /**
     * One request finished. {@code outcome} like "200 SETTLED", "202 PENDING", "503", "timeout";
     * latency is completion minus the intended send time.
     */
    public void completed(long i, Workload.Kind kind, long intendedNanos, long completedNanos, String outcome) {
        long latency = completedNanos - intendedNanos;
        int second = schedule.secondOf(i);
        LatencySummary.record(perSecond[second], latency);
        boolean error = isError(outcome);
        if (error) {
            errorsBySecondIntended.incrementAndGet(second);
        } else if (outcome.startsWith("200 ")) {
            int doneSecond = (int) ((completedNanos - schedule.startNanos()) / 1_000_000_000L);
            if (doneSecond >= 0 && doneSecond < okBySecondCompleted.length()) {
                okBySecondCompleted.incrementAndGet(doneSecond);
            }
        }
        if (schedule.measured(i)) {
            LatencySummary.record(all, latency);
            LatencySummary.record(byKind.get(kind), latency);
            outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
            if (outcome.startsWith("200 ")) {
                measuredOk.increment();
            }
            if (outcome.equals("200 SETTLED") && kind.settle) {
                measuredSettled.increment();
            }
            lastMeasuredCompletion.accumulateAndGet(completedNanos, Math::max);
        } else {
            outcomesWarmup.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        }
    }

    /** A rejection and whether the mix meant it (the deliberate kinds with their expected code). */
    public void rejected(Workload.Kind kind, String codes) {
        rejectCodes.computeIfAbsent(kind.name() + " " + codes, k -> new LongAdder()).increment();
        boolean expected = (kind == Workload.Kind.NON_MEDICAL && codes.contains("NON_MEDICAL_ITEM"))
                || (kind == Workload.Kind.UNKNOWN_ITEM && codes.contains("ITEM_UNKNOWN"))
                || codes.contains("REVERSED_BEFORE_ARRIVAL");
        if (!expected) {
            unexpectedRejects.computeIfAbsent(codes, k -> new LongAdder()).increment();
        }
    }

    /** Request-send to alert-seen, for a deliberate NON_MEDICAL request of the measured window. */
    public void alertSeen(long intendedNanos, long seenNanos) {
        LatencySummary.record(alerts, seenNanos - intendedNanos);
    }

    public LatencySummary latency() {
        return LatencySummary.of(all);
    }

    public Map<Workload.Kind, LatencySummary> latencyByKind() {
        Map<Workload.Kind, LatencySummary> m = new EnumMap<>(Workload.Kind.class);
        byKind.forEach((k, h) -> m.put(k, LatencySummary.of(h)));
        return m;
    }

    public LatencySummary alertLatency() {
        return LatencySummary.of(alerts);
    }

    public Map<String, Long> outcomes() {
        return counts(outcomes);
    }

    public Map<String, Long> warmupOutcomes() {
        return counts(outcomesWarmup);
    }

    public Map<String, Long> rejectCodes() {
        return counts(rejectCodes);
    }

    public Map<String, Long> unexpectedRejects() {
        return counts(unexpectedRejects);
    }

    private static Map<String, Long> counts(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long errors() {
        return outcomes().entrySet().stream().filter(e -> isError(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    public long pending() {
        return outcomes().getOrDefault("202 PENDING", 0L);
    }

    public long measuredSent() {
        return measuredSent.sum();
    }

    public long measuredOk() {
        return measuredOk.sum();
    }

    public long measuredSettled() {
        return measuredSettled.sum();
    }

    /**
     * Answered requests per second of the measured window: 200 answers of requests due in the window,
     * over the window, or longer when the answers came in after it ended (a backlog is not throughput).
     */
    public double achievedPerSecond() {
        return perSecondOver(measuredOk.sum());
    }

    public double settledPerSecond() {
        return perSecondOver(measuredSettled.sum());
    }

    private double perSecondOver(long count) {
        long start = schedule.measuredStartNanos();
        long window = schedule.measuredEndNanos() - start;
        long last = lastMeasuredCompletion.get();
        long span = last == Long.MIN_VALUE ? window : Math.max(window, last - start);
        return span <= 0 ? 0 : count / (span / 1e9);
    }

    public double maxSenderLagMs() {
        return maxSenderLagNanos.get() / 1e6;
    }

    public long lateSends() {
        return lateSends.sum();
    }

    /** One second of the timeline: latency percentiles of requests due in it, answers completed in it. */
    public record Second(int second, boolean warmup, long count, double p50, double p99, double max, long okCompleted,
                         long errors, long committed) {
    }

    public List<Second> timeline() {
        return timeline(null);
    }

    /** {@code committed}: settlement rows the database shows created in each second (null when not read). */
    public List<Second> timeline(long[] committed) {
        List<Second> out = new ArrayList<>();
        long warmupSeconds = (schedule.measuredStartNanos() - schedule.startNanos()) / 1_000_000_000L;
        // past the schedule's end: as long as answers or commits still came in (a backlog draining)
        int n = perSecond.length;
        for (int s = perSecond.length; s < okBySecondCompleted.length(); s++) {
            if (okBySecondCompleted.get(s) > 0 || (committed != null && s < committed.length && committed[s] > 0)) {
                n = s + 1;
            }
        }
        for (int s = 0; s < n; s++) {
            LatencySummary l = s < perSecond.length ? LatencySummary.of(perSecond[s]) : LatencySummary.EMPTY;
            out.add(new Second(s, s < warmupSeconds, l.count(), l.p50(), l.p99(), l.max(), okBySecondCompleted.get(s),
                    s < perSecond.length ? errorsBySecondIntended.get(s) : 0, committed == null || s >= committed.length ? -1 : committed[s]));
        }
        return out;
    }
}
