package cn.pharmacyclaims.deploy;

import cn.pharmacyclaims.testinfra.RealPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A lower CPU priority for the PostgreSQL backends that serve the databases {@code PC_NICE} names
 * ({@code postgresql/audit:10}): a backend is a process of its own, forked per connection, so the work a
 * service asks of the database can yield to the purchase path as the service's own JVM does. Backends are
 * found in {@code pg_stat_activity} once a second and reniced once each. An experiment, off by default: run
 * S10d (docs/performance.md, session 10) was not better than renicing the JVM alone.
 */
final class BackendNice implements AutoCloseable {
    private final RealPostgres postgres;
    private final Map<String, Integer> byDatabase;
    private final Set<Integer> done = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    private BackendNice(RealPostgres postgres, Map<String, Integer> byDatabase) {
        this.postgres = postgres;
        this.byDatabase = byDatabase;
        this.thread = new Thread(this::loop, "backend-nice");
        thread.setDaemon(true);
        thread.start();
    }

    /** Started when {@code PC_NICE} names a database of these; null otherwise. */
    static BackendNice startIfAsked(RealPostgres postgres, Iterable<String> databases) {
        Map<String, Integer> byDatabase = new HashMap<>();
        for (String db : databases) {
            Integer n = ManagedProcess.niceness(ManagedProcess.niceSetting(), "postgresql/" + db);
            if (n != null) {
                byDatabase.put(db, n);
            }
        }
        return byDatabase.isEmpty() ? null : new BackendNice(postgres, byDatabase);
    }

    private void loop() {
        while (running) {
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
                 PreparedStatement st = c.prepareStatement("SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY(?)")) {
                st.setArray(1, c.createArrayOf("text", byDatabase.keySet().toArray()));
                while (running) {
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            int pid = rs.getInt(1);
                            if (done.add(pid)) {
                                renice(pid, byDatabase.get(rs.getString(2)));
                            }
                        }
                    }
                    TimeUnit.SECONDS.sleep(1);
                }
            } catch (SQLException e) {
                sleepQuietly();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void renice(int pid, int niceness) {
        try {
            new ProcessBuilder("renice", "-n", Integer.toString(niceness), "-p", Integer.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LocalStack.log("renice " + pid + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
