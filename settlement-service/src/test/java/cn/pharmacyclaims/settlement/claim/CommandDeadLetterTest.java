package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.settlement.support.Scenario;
import cn.pharmacyclaims.settlement.support.TestKafka;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A record that is not a command goes to the dead-letter topic, and the partition keeps moving. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class CommandDeadLetterTest {

    @Inject
    Pool pool;

    @Test
    void garbageGoesToTheDeadLetterTopicAndTheNextRecordIsProcessed() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "50.00");
        String item = s.item("A", false, null);
        SettlementCommand good = s.settle(s.request(psn, line(1, item, "1", "5.00", 1)));
        String garbage = "{not json " + UUID.randomUUID();
        String noBody = Json.write(new SettlementCommand(UUID.randomUUID().toString(), CommandType.SETTLE,
                "test-gateway", s.terminalId, null, null, null, null, null)); // parses, but is no command

        // same key as the good command: same partition, behind the bad records
        kafka.sendAll(List.of(
                new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, psn, garbage),
                new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, psn, noBody),
                new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, psn, Json.write(good))));

        assertThat(kafka.awaitReply(good.commandId()).result().status()).isEqualTo(SettlementStatus.SETTLED);
        await().atMost(Duration.ofSeconds(30)).until(() -> dead(kafka, garbage) != null && dead(kafka, noBody) != null);
        ConsumerRecord<String, String> dead = dead(kafka, garbage);
        assertThat(dead.key()).isEqualTo(psn);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("not a SettlementCommand");
        assertThat(new String(dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.SETTLEMENT_REQUESTS);
    }

    @Test
    void aRegionWithoutPolicyCannotBeDecidedAndIsDeadLetteredWithTheReason() {
        Scenario s = Scenario.withoutPolicy(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "50.00");
        String item = s.item("A", false, null);
        SettlementCommand cmd = s.settle(s.request(psn, line(1, item, "1", "5.00", 1)));
        String value = Json.write(cmd);

        kafka.send(Topics.SETTLEMENT_REQUESTS, psn, value);

        await().atMost(Duration.ofSeconds(30)).until(() -> dead(kafka, value) != null);
        assertThat(new String(dead(kafka, value).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("no policy for region " + s.region);
        assertThat(s.settlementRows(cmd.settlement().msgId())).isZero();
        assertThat(kafka.replies(cmd.commandId())).isEmpty();
    }

    private static ConsumerRecord<String, String> dead(TestKafka kafka, String value) {
        return kafka.records(Topics.SETTLEMENT_REQUESTS_DLQ).stream().filter(r -> value.equals(r.value())).findFirst().orElse(null);
    }
}
