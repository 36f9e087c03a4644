package cn.pharmacyclaims.testinfra;

import java.util.UUID;

/**
 * One real broker and one real PostgreSQL server per test JVM, started on first use and stopped
 * when the JVM exits. Every test resource start gets a database of its own with a fresh name, so
 * no test depends on an earlier run's data.
 */
public final class RealInfra {
    private static RealPostgres postgres;
    private static RealKafka kafka;

    private RealInfra() {
    }

    public static synchronized RealPostgres postgres() {
        if (postgres == null) {
            postgres = RealPostgres.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
        }
        return postgres;
    }

    public static synchronized RealKafka kafka() {
        if (kafka == null) {
            kafka = RealKafka.start(null, 0);
            kafka.createTopics();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        }
        return kafka;
    }

    /** A new database named {@code prefix_xxxxxxxx}. */
    public static String freshDatabase(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        postgres().createDatabase(name);
        return name;
    }
}
