package cn.pharmacyclaims.deploy.bench;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram recorded in microseconds, reported in milliseconds. HdrHistogram
 * keeps 3 significant digits over the whole range, so p99.9 and max are real values, not averages.
 */
public record LatencySummary(long count, double p50, double p95, double p99, double p999, double max, double mean) {

    /** Highest value a histogram tracks: ten minutes, in microseconds (anything slower is clamped, and counted). */
    public static final long HIGHEST_MICROS = 600_000_000L;

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    public static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, 3);
    }

    public static ConcurrentHistogram newConcurrentHistogram(int digits) {
        return new ConcurrentHistogram(1, HIGHEST_MICROS, digits);
    }

    /** Records a latency given in nanoseconds, clamped into the histogram's range. */
    public static void record(AbstractHistogram h, long nanos) {
        long micros = Math.max(1, nanos / 1000);
        h.recordValue(Math.min(micros, HIGHEST_MICROS));
    }

    public static LatencySummary of(AbstractHistogram h) {
        if (h.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(h.getTotalCount(),
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), round(h.getMean() / 1000.0));
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    /** Milliseconds to 3 decimals (microsecond resolution). */
    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
