package cn.pharmacyclaims.testinfra;

import cn.pharmacyclaims.common.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RealInfraTest {

    @Test
    void postgresServesAFreshDatabase() throws Exception {
        String db = RealInfra.freshDatabase("infra");
        RealPostgres pg = RealInfra.postgres();
        try (var c = pg.connect(db);
             var rs = c.createStatement().executeQuery("SELECT current_database(), current_setting('server_version_num')::int")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(db);
            assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(150000);
        }
    }

    /** The local run and the benchmark keep their cluster: its commits must survive a crash of the machine. */
    @Test
    void aKeptClusterSyncsItsCommitsAndHasRoomForTimedCheckpoints(@TempDir Path dir) throws Exception {
        RealPostgres kept = RealPostgres.start(dir.resolve("pg"), 0);
        try (var c = kept.connect("postgres");
             var rs = c.createStatement().executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'),"
                     + " current_setting('full_page_writes'), current_setting('max_wal_size')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("on");
            assertThat(rs.getString(2)).isEqualTo("on");
            assertThat(rs.getString(3)).isEqualTo("on");
            assertThat(rs.getString(4)).isEqualTo("4GB");
        } finally {
            kept.close();
        }
    }

    @Test
    void brokerHasEveryTopicWithItsPartitionsAndCarriesARecord() throws Exception {
        String bootstrap = RealInfra.kafka().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, TopicDescription> d = admin.describeTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList())
                    .allTopicNames().get();
            assertThat(d.get(Topics.SETTLEMENT_REQUESTS).partitions()).hasSize(Topics.SETTLEMENT_PARTITIONS);
            assertThat(d.get(Topics.SETTLEMENT_DECISIONS).partitions()).hasSize(Topics.SETTLEMENT_PARTITIONS);
        }
        try (var p = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(Topics.SANCTIONS, "P1", "hello")).get();
        }
        try (var c = new KafkaConsumer<String, String>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "infra-test", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(Topics.SANCTIONS));
            long deadline = System.currentTimeMillis() + 20_000;
            String got = null;
            while (got == null && System.currentTimeMillis() < deadline) {
                for (var r : c.poll(Duration.ofMillis(500))) {
                    got = r.value();
                }
            }
            assertThat(got).isEqualTo("hello");
        }
    }
}
