package cn.pharmacyclaims.testinfra;

import cn.pharmacyclaims.common.kafka.Topics;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker (KRaft, single node) running inside this JVM, or an existing one when
 * PC_KAFKA_BOOTSTRAP is set. Topics are created explicitly with their partitions and configs;
 * auto-creation is off, so a misspelt topic fails loudly instead of appearing with 1 partition.
 */
public final class RealKafka implements AutoCloseable {
    private final EmbeddedKafkaBroker broker;
    private final String bootstrap;

    private RealKafka(EmbeddedKafkaBroker broker, String bootstrap) {
        this.broker = broker;
        this.bootstrap = bootstrap;
    }

    /**
     * @param logDir null for a throw-away broker; a directory to keep data across restarts
     * @param port   0 for any free port
     */
    public static RealKafka start(Path logDir, int port) {
        String external = System.getenv("PC_KAFKA_BOOTSTRAP");
        if (external != null && !external.isBlank()) {
            return new RealKafka(null, external);
        }
        int kafkaPort = port > 0 ? port : FreePorts.next();
        EmbeddedKafkaBroker b = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(kafkaPort)
                .withControllerPort(FreePorts.next())
                // a fixed cluster id lets a persistent log dir be reused on the next start
                .withClusterId("pharmacy-claims-local-0")
                .withDeleteLogDirsOnClose(logDir == null)
                .withAdditionalProperties(p -> {
                    p.put("auto.create.topics.enable", "false");
                    p.put("num.partitions", "1");
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("offsets.topic.num.partitions", "6");
                    p.put("transaction.state.log.num.partitions", "6");
                    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
                    if (logDir != null) {
                        p.put("log.dirs", logDir.toAbsolutePath().toString());
                    }
                    // broker settings for experiments (docs/performance.md)
                    p.putAll(ServerSettings.parse(System.getenv("PC_KAFKA_CONFIG")));
                });
        b.start();
        return new RealKafka(b, "127.0.0.1:" + kafkaPort);
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Creates every topic of {@link Topics#ALL} that does not exist yet. */
    public void createTopics() {
        createTopics(bootstrap);
    }

    public static void createTopics(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = Topics.ALL.stream().map(t -> new NewTopic(t.name(), t.partitions(), (short) 1)
                    .configs(t.compacted()
                            ? Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0")
                            : Map.of("retention.ms", Long.toString(t.retentionMs())))).toList();
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics on " + bootstrap, e);
        }
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
