package cn.pharmacyclaims.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a process's CPU time and memory from Linux {@code /proc}, the way {@code top} does:
 * {@code /proc/<pid>/stat} fields 14 and 15 (utime, stime, in clock ticks), {@code VmRSS} from
 * {@code /proc/<pid>/status}, {@code Pss} from {@code /proc/<pid>/smaps_rollup} (the fair share of
 * pages mapped by several processes, e.g. PostgreSQL's shared buffers), and the machine's busy
 * time from the first line of {@code /proc/stat}.
 */
public final class ProcStats {
    private ProcStats() {
    }

    private static final Path PROC = Path.of("/proc");

    /** utime + stime of a {@code /proc/<pid>/stat} line, in clock ticks. */
    public static long cpuTicks(String statLine) {
        String[] f = fieldsAfterComm(statLine);
        // after "pid (comm)": f[0] is field 3 (state), so field n is f[n - 3]
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /** The parent pid (field 4) of a {@code /proc/<pid>/stat} line. */
    public static long parentPid(String statLine) {
        return Long.parseLong(fieldsAfterComm(statLine)[4 - 3]);
    }

    /** The command name may hold spaces and parentheses: everything up to the last ')' is pid and comm. */
    private static String[] fieldsAfterComm(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        }
        return statLine.substring(close + 1).trim().split("\\s+");
    }

    /** A "Name:   1234 kB" field of {@code status} or {@code smaps_rollup}, in kB; -1 when absent. */
    public static long kbField(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + ":")) {
                String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
                return Long.parseLong(parts[0]);
            }
        }
        return -1;
    }

    /** Busy and total ticks of all CPUs from the first line of {@code /proc/stat}. */
    public record MachineTicks(long busy, long total) {
    }

    public static MachineTicks machineTicks(String procStat) {
        String first = procStat.lines().findFirst().orElseThrow();
        if (!first.startsWith("cpu ")) {
            throw new IllegalArgumentException("not /proc/stat: " + first);
        }
        String[] f = first.substring(4).trim().split("\\s+");
        long total = 0;
        // user nice system idle iowait irq softirq steal [guest guest_nice: already inside user/nice]
        int n = Math.min(f.length, 8);
        for (int i = 0; i < n; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[3]) + (f.length > 4 ? Long.parseLong(f[4]) : 0);
        return new MachineTicks(total - idle, total);
    }

    /** CPU use in percent of one core from two tick readings {@code elapsedNanos} apart. */
    public static double cpuPercent(long ticksBefore, long ticksAfter, long elapsedNanos, long ticksPerSecond) {
        if (elapsedNanos <= 0) {
            return 0;
        }
        double seconds = elapsedNanos / 1e9;
        return (ticksAfter - ticksBefore) * 100.0 / ticksPerSecond / seconds;
    }

    /** The postmaster's pid: the first line of {@code postmaster.pid} in the data directory. */
    public static OptionalLong postmasterPid(Path dataDir) {
        try {
            Path f = dataDir.resolve("postmaster.pid");
            if (!Files.exists(f)) {
                return OptionalLong.empty();
            }
            String first = Files.readAllLines(f).stream().findFirst().orElse("").trim();
            return first.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    // ---- live readings (Linux only; empty when the process is gone) ----------------------------------

    public static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** CPU ticks of a live process, or -1. */
    public static long cpuTicks(long pid) {
        String s = read(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return s == null ? -1 : cpuTicks(s);
    }

    public static long rssKb(long pid) {
        String s = read(PROC.resolve(Long.toString(pid)).resolve("status"));
        return s == null ? -1 : Math.max(0, kbField(s, "VmRSS"));
    }

    public static long pssKb(long pid) {
        String s = read(PROC.resolve(Long.toString(pid)).resolve("smaps_rollup"));
        return s == null ? -1 : kbField(s, "Pss");
    }

    public static MachineTicks machineTicks() {
        String s = read(PROC.resolve("stat"));
        return s == null ? new MachineTicks(0, 0) : machineTicks(s);
    }

    /** The pids whose parent is {@code pid} (PostgreSQL's backends and helpers). */
    public static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(PROC)) {
            dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(d -> {
                String s = read(d.resolve("stat"));
                if (s != null) {
                    try {
                        if (parentPid(s) == pid) {
                            out.add(Long.parseLong(d.getFileName().toString()));
                        }
                    } catch (RuntimeException e) {
                        // a process that ended mid-read
                    }
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on every common Linux. */
    public static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static String cpuModel() {
        String s = read(PROC.resolve("cpuinfo"));
        if (s == null) {
            return "unknown";
        }
        return s.lines().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown");
    }

    public static long memTotalKb() {
        String s = read(PROC.resolve("meminfo"));
        return s == null ? -1 : kbField(s, "MemTotal");
    }

    /** The 1-, 5- and 15-minute load averages. */
    public static double[] loadAverage() {
        String s = read(PROC.resolve("loadavg"));
        if (s == null) {
            return new double[]{-1, -1, -1};
        }
        String[] f = s.trim().split("\\s+");
        return new double[]{Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }
}
