package cn.pharmacyclaims.deploy.bench;

import java.time.Duration;

/**
 * The open-loop plan: request {@code i} is due at {@code start + i / rate}, fixed before the run
 * and never moved by how fast the system answers. Latency is measured from this intended time, so
 * a stall that delays the sender shows up in every request that should have gone out meanwhile
 * (no coordinated omission). Times are {@link System#nanoTime()} values.
 */
public final class Schedule {
    private final long startNanos;
    private final double rate;
    private final long warmupCount;
    private final long totalCount;

    public Schedule(long startNanos, double ratePerSecond, Duration warmup, Duration measured) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0");
        }
        this.startNanos = startNanos;
        this.rate = ratePerSecond;
        this.warmupCount = countWithin(warmup);
        this.totalCount = countWithin(warmup.plus(measured));
    }

    /** How many requests are due strictly before {@code offset} from the start. */
    private long countWithin(Duration offset) {
        return (long) Math.ceil(offset.toNanos() / 1e9 * rate - 1e-9);
    }

    /** The intended send time of request {@code i}, computed from i (never accumulated, so no drift). */
    public long intendedNanos(long i) {
        return startNanos + Math.round(i * 1e9 / rate);
    }

    public long startNanos() {
        return startNanos;
    }

    public double rate() {
        return rate;
    }

    /** Requests in the warm-up (not measured): indexes {@code [0, warmupCount)}. */
    public long warmupCount() {
        return warmupCount;
    }

    /** All requests of the run; the measured ones are {@code [warmupCount, totalCount)}. */
    public long totalCount() {
        return totalCount;
    }

    public boolean measured(long i) {
        return i >= warmupCount && i < totalCount;
    }

    /** The whole second (from the start of the run) in which request {@code i} is due. */
    public int secondOf(long i) {
        return (int) ((intendedNanos(i) - startNanos) / 1_000_000_000L);
    }

    /** When the measured window starts and ends (nanoTime), as the schedule defines them. */
    public long measuredStartNanos() {
        return intendedNanos(warmupCount);
    }

    public long measuredEndNanos() {
        return intendedNanos(totalCount);
    }
}
