package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.testinfra.RealPostgres;
import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database server's commit rate on this machine: single-row INSERT + COMMIT in a loop
 * (synchronous_commit on, as the services run), on one connection and on several, in a throw-away
 * database of the same server the services use.
 */
public final class PostgresBaseline {
    private PostgresBaseline() {
    }

    public record Result(double singleConnectionCommitsPerSecond, LatencySummary singleCommit, int connections,
                         double multiConnectionCommitsPerSecond) {
    }

    static final String DATABASE = "bench_baseline";

    public static Result run(RealPostgres pg, Duration each, int connections) throws Exception {
        pg.createDatabase(DATABASE);
        try {
            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS commit_probe (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL, "
                        + "created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            }
            insertLoop(pg, Duration.ofSeconds(1), null); // warm the server and the driver
            Histogram single = LatencySummary.newHistogram();
            long n = insertLoop(pg, each, single);
            double singleRate = n / (each.toNanos() / 1e9);

            ExecutorService pool = Executors.newFixedThreadPool(connections);
            try {
                List<Future<Long>> parts = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < connections; i++) {
                    parts.add(pool.submit(() -> insertLoop(pg, each, null)));
                }
                long total = 0;
                for (Future<Long> f : parts) {
                    total += f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(round(singleRate), LatencySummary.of(single), connections, round(total / seconds));
            } finally {
                pool.shutdownNow();
            }
        } finally {
            pg.dropDatabase(DATABASE);
        }
    }

    private static long insertLoop(RealPostgres pg, Duration duration, Histogram latency) throws SQLException {
        String payload = "p".repeat(200);
        AtomicLong count = new AtomicLong();
        try (Connection c = connect(pg);
             PreparedStatement ps = c.prepareStatement("INSERT INTO commit_probe (payload) VALUES (?)")) {
            c.setAutoCommit(true); // each INSERT is its own transaction: one commit, one WAL flush
            long end = System.nanoTime() + duration.toNanos();
            long now;
            while ((now = System.nanoTime()) < end) {
                ps.setString(1, payload);
                ps.executeUpdate();
                if (latency != null) {
                    LatencySummary.record(latency, System.nanoTime() - now);
                }
                count.incrementAndGet();
            }
        }
        return count.get();
    }

    private static Connection connect(RealPostgres pg) throws SQLException {
        return pg.connect(DATABASE);
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
