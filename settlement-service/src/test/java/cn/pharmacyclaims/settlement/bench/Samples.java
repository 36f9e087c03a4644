package cn.pharmacyclaims.settlement.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Latency samples in nanoseconds and their percentiles, by sorting (nearest rank: the p-quantile of
 * n samples is the ⌈p·n⌉-th smallest). No histogram, no interpolation: what was measured.
 */
final class Samples {
    private final long[] nanos;
    private int n;

    Samples(int capacity) {
        nanos = new long[capacity];
    }

    void add(long sample) {
        nanos[n++] = sample;
    }

    int count() {
        return n;
    }

    /** Merges several workers' samples. */
    static Samples of(Samples... parts) {
        Samples all = new Samples(Arrays.stream(parts).mapToInt(Samples::count).sum());
        for (Samples p : parts) {
            System.arraycopy(p.nanos, 0, all.nanos, all.n, p.n);
            all.n += p.n;
        }
        return all;
    }

    /** p50, p90, p99, p99.9, max, mean in microseconds, as a Markdown table row after {@code label}. */
    String row(String label) {
        long[] s = Arrays.copyOf(nanos, n);
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s |", label, n, us(at(s, 0.50)), us(at(s, 0.90)),
                us(at(s, 0.99)), us(at(s, 0.999)), us(s[n - 1]), us((long) mean));
    }

    static String header() {
        return "| what | samples | p50 | p90 | p99 | p99.9 | max | mean |\n|---|---:|---:|---:|---:|---:|---:|---:|";
    }

    private static long at(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String us(long nanos) {
        return nanos >= 10_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6)
                : nanos >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }

    /** The 1-, 5- and 15-minute load averages of the machine. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void write(String file, String text) {
        try {
            Path p = Path.of("target", "bench", file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
