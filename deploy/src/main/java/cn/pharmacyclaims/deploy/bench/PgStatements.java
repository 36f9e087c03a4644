package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.testinfra.RealPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * {@code --profile}, database side: where PostgreSQL's time goes, per statement and database, from
 * {@code pg_stat_statements} (preloaded when the stack starts; its counters reset when the measured
 * window starts). Written to {@code <out>/pg-statements.md} with the calls per POS request, so
 * a statement that runs once per request stands out from one that runs once per batch.
 */
final class PgStatements {
    /** The server settings that make the counters exist; set before the stack starts. */
    static final String SERVER_CONFIG = "shared_preload_libraries=pg_stat_statements;pg_stat_statements.track=top";

    private PgStatements() {
    }

    static void enable() {
        System.setProperty("pc.pg.config", SERVER_CONFIG);
    }

    /** Resets the counters when the measured window starts (a background thread waits for it). */
    static void resetAt(RealPostgres pg, long atNanos) {
        Bench.at("bench-pg-statements", atNanos, () -> {
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                st.execute("SELECT pg_stat_statements_reset()");
            } catch (SQLException e) {
                Bench.log("pg_stat_statements not reset: " + e.getMessage());
            }
        });
    }

    /** The top statements by total execution time since the reset. */
    static void write(RealPostgres pg, Path out, long requests) {
        StringBuilder md = new StringBuilder("# PostgreSQL statements in the measured window (pg_stat_statements)\n\n")
                .append("POS requests sent in the measured window: ").append(requests)
                .append(". Execution time only (not parse, network, commit or WAL).\n\n")
                .append("| database | calls | calls per request | total ms | ms per request | mean ms | rows | statement |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        double total = 0;
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT d.datname, s.calls, s.total_exec_time, s.mean_exec_time, s.rows,
                            regexp_replace(s.query, '\\s+', ' ', 'g') AS query
                     FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                     ORDER BY s.total_exec_time DESC LIMIT 40""")) {
            while (rs.next()) {
                double ms = rs.getDouble("total_exec_time");
                total += ms;
                String q = rs.getString("query");
                q = q.length() > 140 ? q.substring(0, 140) + "…" : q;
                md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f | %.3f | %.3f | %d | `%s` |%n", rs.getString("datname"),
                        rs.getLong("calls"), rs.getLong("calls") / (double) Math.max(1, requests), ms,
                        ms / Math.max(1, requests), rs.getDouble("mean_exec_time"), rs.getLong("rows"), q.replace("|", "\\|")));
            }
            md.append(String.format(Locale.ROOT, "%nThese statements: %.0f ms of execution, %.3f ms per request.%n", total,
                    total / Math.max(1, requests)));
            Files.createDirectories(out);
            Files.writeString(out.resolve("pg-statements.md"), md.toString());
        } catch (SQLException | IOException e) {
            Bench.log("pg_stat_statements not written: " + e.getMessage());
        }
    }
}
