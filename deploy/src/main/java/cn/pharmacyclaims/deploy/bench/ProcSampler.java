package cn.pharmacyclaims.deploy.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples CPU and memory of named process groups once a second: the broker, each service, the
 * PostgreSQL server (postmaster and every child) and the load generator itself, plus the whole
 * machine, so that the report can show what the rest of the machine (other users) was doing.
 */
public final class ProcSampler implements AutoCloseable {

    /**
     * One group's reading over one sampling interval: CPU ticks used in {@code elapsedNanos}, memory at
     * the end of it.
     */
    public record Sample(long atNanos, long elapsedNanos, double cpuTicks, long rssKb, long pssKb) {
    }

    /** A group's figures over a window: CPU in percent of one core, memory in MiB. */
    public record Usage(String name, double cpuAvgPercent, double cpuMaxPercent, double rssMaxMb, double rssEndMb,
                        double pssMaxMb, int processes) {
    }

    public static final String MACHINE = "machine (all processes)";
    public static final String OTHER = "other (not this benchmark)";

    static final long MIN_INTERVAL_NANOS = 500_000_000L;

    private final Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>();
    private final Map<String, Boolean> withPss = new HashMap<>();
    private final Map<String, List<Sample>> series = new LinkedHashMap<>();
    private final Map<String, Integer> processCounts = new HashMap<>();
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final long ticksPerSecond;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-proc-sampler");
        t.setDaemon(true);
        return t;
    });
    private long lastNanos;
    private long samples;
    private ProcStats.MachineTicks lastMachine;

    public ProcSampler(long ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /** {@code pss}: also read the proportional set size (for PostgreSQL, whose processes share memory). */
    public ProcSampler group(String name, Supplier<List<Long>> pids, boolean pss) {
        groups.put(name, pids);
        withPss.put(name, pss);
        series.put(name, new ArrayList<>());
        return this;
    }

    public void start() {
        series.put(MACHINE, new ArrayList<>());
        series.put(OTHER, new ArrayList<>());
        prime();
        // fixed delay, not fixed rate: a sampler starved of CPU must not catch up with back-to-back readings
        timer.scheduleWithFixedDelay(this::sampleSafely, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void prime() {
        lastNanos = System.nanoTime();
        lastMachine = ProcStats.machineTicks();
        for (Supplier<List<Long>> g : groups.values()) {
            for (long pid : g.get()) {
                long t = ProcStats.cpuTicks(pid);
                if (t >= 0) {
                    lastTicks.put(pid, t);
                }
            }
        }
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            // a process that ended between listing and reading: the next second reads again
        }
    }

    synchronized void sample() {
        long now = System.nanoTime();
        long elapsed = now - lastNanos;
        if (elapsed < MIN_INTERVAL_NANOS) {
            return; // ticks are 10 ms: a short interval would turn one tick into a large percentage
        }
        // the machine first, right at "now": reading the groups may take a while on a busy machine
        ProcStats.MachineTicks m = ProcStats.machineTicks();
        double ours = 0;
        Map<Long, Long> seen = new HashMap<>();
        samples++;
        for (Map.Entry<String, Supplier<List<Long>>> g : groups.entrySet()) {
            // PSS walks every page table of the group: every fifth second is enough for a maximum
            boolean readPss = withPss.get(g.getKey()) && samples % 5 == 1;
            long deltaTicks = 0;
            long rss = 0;
            long pss = 0;
            List<Long> pids = g.getValue().get();
            for (long pid : pids) {
                long t = ProcStats.cpuTicks(pid);
                if (t < 0) {
                    continue;
                }
                seen.put(pid, t);
                Long before = lastTicks.get(pid);
                // a process born within the interval counts from zero: its whole CPU time is in this interval
                deltaTicks += t - (before == null ? 0 : before);
                rss += Math.max(0, ProcStats.rssKb(pid));
                if (readPss) {
                    pss += Math.max(0, ProcStats.pssKb(pid));
                }
            }
            processCounts.merge(g.getKey(), pids.size(), Math::max);
            ours += deltaTicks;
            series.get(g.getKey()).add(new Sample(now, elapsed, deltaTicks, rss, readPss ? pss : -1));
        }
        lastTicks.clear();
        lastTicks.putAll(seen);
        // /proc/stat counts all CPUs: busy ticks of the machine in the same interval
        long machine = m.busy() - lastMachine.busy();
        series.get(MACHINE).add(new Sample(now, elapsed, machine, -1, -1));
        series.get(OTHER).add(new Sample(now, elapsed, Math.max(0, machine - ours), -1, -1));
        lastMachine = m;
        lastNanos = now;
    }

    /** Every group's usage over samples taken in {@code (fromNanos, toNanos]}. */
    public synchronized List<Usage> usage(long fromNanos, long toNanos) {
        List<Usage> out = new ArrayList<>();
        for (Map.Entry<String, List<Sample>> e : series.entrySet()) {
            out.add(summarise(e.getKey(), e.getValue(), fromNanos, toNanos, processCounts.getOrDefault(e.getKey(), 0),
                    ticksPerSecond));
        }
        return out;
    }

    /** CPU average = all ticks over all the time of the samples ending in {@code (from, to]}; max = the busiest interval. */
    static Usage summarise(String name, List<Sample> samples, long fromNanos, long toNanos, int processes,
                           long ticksPerSecond) {
        double ticks = 0;
        long elapsed = 0;
        double max = 0;
        long rssMax = 0;
        long rssEnd = 0;
        long pssMax = -1;
        for (Sample s : samples) {
            if (s.atNanos() <= fromNanos || s.atNanos() > toNanos) {
                continue;
            }
            ticks += s.cpuTicks();
            elapsed += s.elapsedNanos();
            max = Math.max(max, percent(s.cpuTicks(), s.elapsedNanos(), ticksPerSecond));
            rssMax = Math.max(rssMax, s.rssKb());
            rssEnd = s.rssKb();
            pssMax = Math.max(pssMax, s.pssKb());
        }
        return new Usage(name, round1(percent(ticks, elapsed, ticksPerSecond)), round1(max), mb(rssMax), mb(rssEnd),
                pssMax < 0 ? -1 : mb(pssMax), processes);
    }

    private static double percent(double ticks, long elapsedNanos, long ticksPerSecond) {
        return elapsedNanos <= 0 ? 0 : ticks * 100.0 / ticksPerSecond / (elapsedNanos / 1e9);
    }

    private static double mb(long kb) {
        return kb < 0 ? -1 : round1(kb / 1024.0);
    }

    static double round1(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
