package cn.pharmacyclaims.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a process's CPU went, by thread: {@code /proc/<pid>/task/<tid>/stat} read at the start and
 * at the end of the measured window, the difference grouped by thread name without its number
 * ("vert.x-eventloop-thread-3" and "-5" together; Linux keeps 15 characters of a name). Tells the
 * JIT compiler and the garbage collector apart from request work.
 */
public final class ThreadCpu {
    private ThreadCpu() {
    }

    /** One thread's name and CPU ticks. */
    public record Reading(String name, long ticks) {
    }

    public record Group(String name, int threads, double cpuPercent) {
    }

    public static Map<Long, Reading> read(long pid) {
        Map<Long, Reading> out = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> dirs = Files.list(tasks)) {
            dirs.forEach(d -> {
                String stat = ProcStats.read(d.resolve("stat"));
                if (stat != null) {
                    try {
                        out.put(Long.parseLong(d.getFileName().toString()), new Reading(comm(stat), ProcStats.cpuTicks(stat)));
                    } catch (RuntimeException e) {
                        // a thread that ended mid-read
                    }
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The thread name between the first '(' and the last ')'. */
    static String comm(String statLine) {
        return statLine.substring(statLine.indexOf('(') + 1, statLine.lastIndexOf(')'));
    }

    /** "GC Thread#3" → "GC Thread#", "executor-thread-12" → "executor-thread-", "C2 CompilerThre" stays. */
    static String group(String name) {
        return name.replaceAll("[0-9]+$", "");
    }

    /** CPU per thread group between two readings {@code elapsedNanos} apart, busiest first, at most {@code top}. */
    public static List<Group> diff(Map<Long, Reading> before, Map<Long, Reading> after, long elapsedNanos, long ticksPerSecond,
                                   int top) {
        Map<String, long[]> groups = new LinkedHashMap<>();
        for (Map.Entry<Long, Reading> e : after.entrySet()) {
            Reading b = before.get(e.getKey());
            long ticks = e.getValue().ticks() - (b == null ? 0 : b.ticks());
            long[] g = groups.computeIfAbsent(group(e.getValue().name()), k -> new long[2]);
            g[0] += ticks;
            g[1]++;
        }
        List<Group> out = new ArrayList<>();
        groups.forEach((name, g) -> out.add(new Group(name, (int) g[1],
                ProcSampler.round1(ProcStats.cpuPercent(0, g[0], elapsedNanos, ticksPerSecond)))));
        out.sort((x, y) -> Double.compare(y.cpuPercent(), x.cpuPercent()));
        return out.size() > top ? out.subList(0, top) : out;
    }
}
