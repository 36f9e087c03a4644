package cn.pharmacyclaims.deploy.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What {@code ./bench.sh} was asked for: the offered rate (requests per second, open loop), the
 * warm-up and the measured duration, the demo registry's size, where the report goes, and whether
 * the databases are analysed during the warm-up (see {@link Bench#analyzeAll}), whether the services
 * are profiled, and whether each request's path is timed ({@link PathWatcher}).
 */
public record BenchOptions(double rate, Duration duration, Duration warmup, String size, Path out, boolean analyze,
                           boolean profile, boolean path) {

    public static final String USAGE = "usage: ./bench.sh [--no-build] [--rate 500] [--duration 300s] [--warmup 240s] "
            + "[--size small|city] [--out bench-results/<timestamp>] [--no-analyze] [--profile] [--path]";

    public BenchOptions {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be > 0, not " + rate);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be > 0");
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must be >= 0");
        }
    }

    /** Parses the command line; {@code root} anchors the default output directory. */
    public static BenchOptions parse(String[] args, Path root, LocalDateTime now) {
        double rate = 500;
        Duration duration = Duration.ofSeconds(300);
        Duration warmup = Duration.ofSeconds(240);
        String size = "small";
        Path out = null;
        boolean analyze = true;
        boolean profile = false;
        boolean path = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--rate" -> rate = Double.parseDouble(value(args, ++i, a));
                case "--duration" -> duration = duration(value(args, ++i, a));
                case "--warmup" -> warmup = duration(value(args, ++i, a));
                case "--size" -> size = value(args, ++i, a);
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--no-analyze" -> analyze = false;
                case "--profile" -> profile = true;
                case "--path" -> path = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (out == null) {
            out = root.resolve("bench-results").resolve(now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return new BenchOptions(rate, duration, warmup, size, out.toAbsolutePath().normalize(), analyze, profile, path);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    /** {@code 300s}, {@code 5m}, {@code 1500ms} or a bare number of seconds. */
    public static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: " + text + " (use 300s, 5m or 1500ms)");
        }
    }
}
