package cn.pharmacyclaims.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM of the local stack (the broker or a service), its output in a log file of its own. */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final long logSizeAtStart;

    private ManagedProcess(String name, Process process, Path log, long logSizeAtStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logSizeAtStart = logSizeAtStart;
    }

    public static ManagedProcess start(String name, List<String> command, Path logDir) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            // appended, so a restarted process (crash tests, a second local run) keeps the earlier log
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // glibc gives a busy multi-threaded process up to 8 malloc arenas per core, and a JVM's native memory
            // (C2's compiler arenas, the Kafka client's and netty's buffers) spreads over them: audit reached 508.7 MB
            // resident under overload (run H3) with a 256 MB heap. Two arenas, unless the caller's environment says.
            pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            long size = Files.exists(log) ? Files.size(log) : 0;
            return new ManagedProcess(name, pb.start(), log, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public static List<String> java(String name, String heap, String classpathOrJar, boolean jar, List<String> props, String main,
                             List<String> args) {
        List<String> cmd = new ArrayList<>();
        // A lower CPU priority for the processes that have no one waiting at a counter (niceSetting()).
        Integer nice = niceness(niceSetting(), name);
        if (nice != null && onPath("nice")) {
            cmd.addAll(List.of("nice", "-n", nice.toString()));
        } else if (nice != null) {
            LocalStack.log("no `nice` on the PATH: " + name + " runs at the normal priority");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add(named(System.getenv("PC_GC"), "serial", name) ? "-XX:+UseSerialGC" : "-XX:+UseG1GC");
        // C1 only in the services by default: the broker and four services share the machine's cores, and on the
        // 2-core development machine the C2 compilers were still a third of the machine after 90 s of load and cost
        // the benchmark its throughput (docs/performance.md, runs F and G). The broker keeps C2: its hot path is
        // small, compiled once, and ran on 27% less CPU per settlement (run R). PC_JIT=c2 keeps C2 in every process,
        // PC_JIT=c1 in none, PC_JIT=kafka,audit-service in the processes named.
        String jit = System.getenv("PC_JIT");
        if (!named(jit == null || jit.isBlank() ? "kafka" : jit, "c2", name)) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        // Extra JVM options for every process started here (benchmark experiments).
        String extra = System.getenv("PC_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(props);
        if (jar) {
            cmd.add("-jar");
            cmd.add(classpathOrJar);
        } else {
            cmd.add("-cp");
            cmd.add(classpathOrJar);
            cmd.add(main);
        }
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Whether an experiment switch applies to the process {@code name}: the switch's value is {@code all} (every process), or a
     * comma-separated list of process names ({@code kafka}, {@code settlement-service}, …).
     */
    static boolean named(String value, String all, String name) {
        if (value == null || value.isBlank()) {
            return false;
        }
        if (value.trim().equalsIgnoreCase(all) || value.trim().equalsIgnoreCase("-XX:+Use" + all + "GC")) {
            return true;
        }
        for (String n : value.split(",")) {
            if (n.trim().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which processes run at a lower CPU priority: {@code PC_NICE} ({@code name:n,name:n}; {@code none} for none), by
     * default audit and agreement at 10. On a machine shared by every process, the scheduler then serves the purchase
     * path (gateway, settlement, broker, database) first and gives the fraud stream and the registry what is left: a
     * POS waits at the counter, an alert has a second, and audit's polls grow with the wait and cost less per
     * decision (docs/performance.md, step 23).
     */
    public static String niceSetting() {
        String v = System.getenv("PC_NICE");
        if (v == null || v.isBlank()) {
            return DEFAULT_NICE;
        }
        return v.trim().equalsIgnoreCase("none") ? null : v;
    }

    static final String DEFAULT_NICE = "audit-service:10,agreement-service:10";

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, command))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The niceness a {@code PC_NICE} value gives the process {@code name}, or null. */
    static Integer niceness(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (String entry : value.split(",")) {
            String[] kv = entry.trim().split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("PC_NICE takes name:niceness pairs, not " + entry);
            }
            if (kv[0].trim().equals(name)) {
                return Integer.parseInt(kv[1].trim());
            }
        }
        return null;
    }

    String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until the log shows the marker line, failing fast if the process dies. */
    public void awaitLogLine(String marker, Duration timeout) {
        long skip = logSizeAtStart;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                byte[] all = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
                int from = (int) Math.min(skip, all.length);
                if (new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8).contains(marker)) {
                    return;
                }
                Thread.sleep(200);
            } catch (IOException e) {
                // the log may be mid-write: look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    /** Waits for the service's readiness endpoint to answer 200. */
    void awaitReady(String baseUrl, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    /** SIGTERM (the services drain and close cleanly), then SIGKILL after 15 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Kills without warning: for crash tests. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
