package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.testinfra.RealPostgres;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the settlement service's own database after the run, directly with JDBC (read only): the
 * reconciliation must not trust the service's API to report on itself.
 */
public final class SettlementDb implements AutoCloseable {
    private final Connection connection;

    public SettlementDb(RealPostgres pg) throws SQLException {
        connection = pg.connect("settlement");
        connection.setReadOnly(true);
        connection.setAutoCommit(false); // lets the driver stream with a fetch size
    }

    /** Rows, duplicates and the accounts' total balance, read in one snapshot (REPEATABLE READ). */
    public record Snapshot(List<Reconciliation.Row> rows, long duplicateMsgIds, BigDecimal totalBalance) {
    }

    public Snapshot snapshot() throws SQLException {
        int isolation = connection.getTransactionIsolation();
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            List<Reconciliation.Row> rows = readRows();
            // the unique constraint should make this 0; counted anyway
            long duplicates = longQuery("SELECT count(*) FROM (SELECT msg_id FROM settlement GROUP BY msg_id HAVING count(*) > 1) d");
            BigDecimal balance;
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT coalesce(sum(balance), 0) FROM account")) {
                rs.next();
                balance = rs.getBigDecimal(1);
            }
            connection.commit();
            return new Snapshot(rows, duplicates, balance);
        } finally {
            connection.setTransactionIsolation(isolation);
        }
    }

    private List<Reconciliation.Row> readRows() throws SQLException {
        List<Reconciliation.Row> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT msg_id, setl_id, status, fund_pay, account_pay, cash_pay FROM settlement")) {
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Reconciliation.Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
                            rs.getBigDecimal(5), rs.getBigDecimal(6)));
                }
            }
        }
        return rows;
    }

    public long count() throws SQLException {
        return single("SELECT count(*) FROM settlement");
    }

    /**
     * Settlement rows created per second from {@code start} on (the database's own clock, the same
     * machine's): what the settlement service actually committed, whenever the POS got its answer.
     */
    public long[] committedPerSecond(Instant start, int seconds) throws SQLException {
        long[] out = new long[seconds];
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT floor(extract(epoch FROM (created_at - ?)))::int AS s, count(*) FROM settlement "
                        + "WHERE created_at >= ? GROUP BY 1")) {
            OffsetDateTime from = OffsetDateTime.ofInstant(start, ZoneOffset.UTC);
            ps.setObject(1, from);
            ps.setObject(2, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int s = rs.getInt(1);
                    if (s >= 0 && s < seconds) {
                        out[s] = rs.getLong(2);
                    }
                }
            }
        }
        connection.commit();
        return out;
    }

    /** Rows still waiting in the outbox: decisions committed but not yet published. */
    public long outboxBacklog() throws SQLException {
        try {
            return single("SELECT count(*) FROM outbox"); // the relay deletes what it published
        } catch (SQLException e) {
            connection.rollback();
            return -1;
        }
    }

    private long single(String sql) throws SQLException {
        long v = longQuery(sql);
        connection.commit();
        return v;
    }

    private long longQuery(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
