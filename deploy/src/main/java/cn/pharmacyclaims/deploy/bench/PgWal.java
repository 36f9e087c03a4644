package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.testinfra.RealPostgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The database's durability settings and what it wrote to its log in the measured window
 * ({@code pg_stat_wal}, {@code pg_stat_checkpointer}): WAL bytes and full-page images per settlement,
 * and the checkpoints that fell in the window. A checkpoint makes the next change of every page
 * write the whole page to the log, so whether one falls in the window changes what a settlement
 * costs the database; the report says which runs had one.
 */
final class PgWal {
    /** Cumulative counters at one moment. */
    record Counters(long walRecords, long fullPageImages, long walBytes, long walSyncs, long checkpointsTimed,
                    long checkpointsRequested, Map<String, Long> commitsByDatabase) {
        Counters minus(Counters o) {
            Map<String, Long> commits = new java.util.TreeMap<>();
            commitsByDatabase.forEach((db, n) -> commits.put(db, n - o.commitsByDatabase.getOrDefault(db, 0L)));
            return new Counters(walRecords - o.walRecords, fullPageImages - o.fullPageImages, walBytes - o.walBytes,
                    walSyncs - o.walSyncs, checkpointsTimed - o.checkpointsTimed, checkpointsRequested - o.checkpointsRequested,
                    commits);
        }
    }

    private final RealPostgres pg;
    private volatile Counters atStart;
    private Counters atEnd;

    private PgWal(RealPostgres pg) {
        this.pg = pg;
    }

    /** Takes the first reading when the measured window starts (a background thread waits for it). */
    static PgWal startAt(RealPostgres pg, long atNanos) {
        PgWal w = new PgWal(pg);
        Bench.at("bench-pg-wal", atNanos, () -> w.atStart = w.read());
        return w;
    }

    /** The server's settings that decide what a commit costs and promises. */
    static String settings(RealPostgres pg) {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings
                     WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'max_wal_size',
                                    'checkpoint_timeout', 'shared_buffers')""")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "not read: " + e.getMessage();
        }
    }

    /** Takes the second reading: the measured window has ended. */
    void end() {
        atEnd = read();
    }

    /** The window's figures, or an empty map if a reading failed. */
    Map<String, Object> figures(double settlementsCommitted, double seconds) {
        Counters start = atStart;
        Map<String, Object> m = new LinkedHashMap<>();
        if (start == null || atEnd == null || settlementsCommitted <= 0) {
            return m;
        }
        Counters d = atEnd.minus(start);
        m.put("WAL written (MB/s)", String.format(Locale.ROOT, "%.2f", d.walBytes() / 1e6 / seconds));
        m.put("WAL per settlement committed (kB)", String.format(Locale.ROOT, "%.1f", d.walBytes() / 1e3 / settlementsCommitted));
        m.put("WAL records per settlement", String.format(Locale.ROOT, "%.1f", d.walRecords() / settlementsCommitted));
        m.put("full-page images per settlement", String.format(Locale.ROOT, "%.2f", d.fullPageImages() / settlementsCommitted));
        m.put("WAL flushes to disk (fdatasync) per settlement", String.format(Locale.ROOT, "%.2f", d.walSyncs() / settlementsCommitted));
        StringBuilder commits = new StringBuilder();
        d.commitsByDatabase().forEach((db, n) -> commits.append(commits.isEmpty() ? "" : ", ").append(db)
                .append(String.format(Locale.ROOT, " %.2f", n / settlementsCommitted)));
        m.put("transactions committed per settlement (read-only ones included), by database", commits.toString());
        m.put("checkpoints in the window (timed / requested)", d.checkpointsTimed() + " / " + d.checkpointsRequested());
        return m;
    }

    private Counters read() {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            Map<String, Long> commits = new java.util.TreeMap<>();
            try (ResultSet rs = st.executeQuery("SELECT datname, xact_commit FROM pg_stat_database"
                    + " WHERE datname IN ('gateway', 'settlement', 'agreement', 'audit')")) {
                while (rs.next()) {
                    commits.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT w.wal_records, w.wal_fpi, w.wal_bytes, w.wal_sync, k.num_timed,"
                    + " k.num_requested FROM pg_stat_wal w, pg_stat_checkpointer k")) {
                rs.next();
                return new Counters(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                        commits);
            }
        } catch (SQLException e) {
            Bench.log("pg_stat_wal not read: " + e.getMessage());
            return null;
        }
    }
}
