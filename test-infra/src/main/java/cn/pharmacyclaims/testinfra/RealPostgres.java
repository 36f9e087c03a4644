package cn.pharmacyclaims.testinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server: the embedded 17.x binaries from Maven Central by default, or an
 * existing server when PC_PG_HOST (with PC_PG_PORT, PC_PG_USER, PC_PG_PASSWORD) is set.
 * Each service gets its own database (its own schema, never read by another service).
 */
public final class RealPostgres implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private RealPostgres(EmbeddedPostgres embedded, String host, int port, String user, String password) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** Starts embedded PostgreSQL; {@code dataDir} null means a throw-away directory. */
    public static RealPostgres start(Path dataDir, int port) {
        String externalHost = System.getenv("PC_PG_HOST");
        if (externalHost != null && !externalHost.isBlank()) {
            return new RealPostgres(null, externalHost, Integer.parseInt(env("PC_PG_PORT", "5432")),
                    env("PC_PG_USER", "postgres"), env("PC_PG_PASSWORD", "postgres"));
        }
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("synchronous_commit", "on")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60));
            if (dataDir != null) {
                // A kept cluster (the local run, the benchmark) stands for the system of record, so its
                // commits are durable: the embedded builder turns fsync off, which is right only for a
                // throw-away test cluster. And room for 4 GB of log between checkpoints: at 500
                // purchases/s (5 MB of log a second) they then come every checkpoint_timeout (5 min)
                // instead of about every 2 minutes (docs/performance.md, step 28).
                b.setServerConfig("fsync", "on").setServerConfig("max_wal_size", "4GB");
            }
            // Extra server settings for experiments, from the system property (the benchmark's --profile
            // preloads pg_stat_statements this way) and then PC_PG_CONFIG.
            ServerSettings.parse(System.getProperty("pc.pg.config"), System.getenv("PC_PG_CONFIG")).forEach(b::setServerConfig);
            if (port > 0) {
                b.setPort(port);
            }
            if (dataDir != null) {
                b.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            EmbeddedPostgres pg = b.start();
            return new RealPostgres(pg, "localhost", pg.getPort(), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A plain JDBC connection to one of its databases (tools and tests; the services use the reactive client). */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** Creates the database unless it exists. Names are code-controlled identifiers, never user input. */
    public void createDatabase(String database) {
        if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("bad database name " + database);
        }
        try (Connection c = connect("postgres");
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    public void dropDatabase(String database) {
        try (Connection c = connect("postgres");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + database, e);
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
