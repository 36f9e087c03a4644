package cn.pharmacyclaims.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker and a real PostgreSQL database:
 * {@code @WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))}.
 * Set PC_KAFKA_BOOTSTRAP / PC_PG_HOST to use servers that already run.
 */
public class RealInfraResource implements QuarkusTestResourceLifecycleManager {
    private String database = "app";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        RealPostgres pg = RealInfra.postgres();
        RealKafka kafka = RealInfra.kafka();
        String db = RealInfra.freshDatabase(database);
        Map<String, String> cfg = new HashMap<>();
        cfg.put("quarkus.devservices.enabled", "false");
        cfg.put("quarkus.datasource.username", pg.user());
        cfg.put("quarkus.datasource.password", pg.password());
        cfg.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(db));
        cfg.put("quarkus.datasource.reactive.url", pg.reactiveUrl(db));
        cfg.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        cfg.put("pc.test.database", db);
        return cfg;
    }

    @Override
    public void stop() {
        // the servers live as long as the JVM; each start uses a database of its own
    }
}
