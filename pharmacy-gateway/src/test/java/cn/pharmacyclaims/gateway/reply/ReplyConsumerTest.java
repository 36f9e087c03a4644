package cn.pharmacyclaims.gateway.reply;

import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.config.InstanceId;
import cn.pharmacyclaims.gateway.support.TestConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Routing on gateway.replies: the key (commandId) says whether anyone here waits; only then is the
 * reply read, and it completes the call only if it names this instance.
 */
class ReplyConsumerTest {
    private final GatewayConfig config = TestConfig.gateway(Map.of());
    private final InstanceId instance = new InstanceId(config);
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final PendingReplies pending = new PendingReplies(meters);
    private final ReplyConsumer consumer = new ReplyConsumer(pending, instance, meters, config, "127.0.0.1:1");

    private static ConsumerRecord<String, byte[]> record(String key, String value) {
        return new ConsumerRecord<>(Topics.GATEWAY_REPLIES, 0, 0L, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String reply(String commandId, String replyTo) {
        return Json.write(new SettlementReply(commandId, replyTo, SettlementReply.Outcome.RESULT,
                SettlementResult.rejected("S-1", "m", List.of(), null), null));
    }

    private double late() {
        return meters.get("pc.gateway.late-replies").counter().count();
    }

    @Test
    void aReplyNobodyHereWaitsForIsSkippedWithoutBeingRead() {
        // not even JSON: reading it would throw
        consumer.onRecord(record(UUID.randomUUID().toString(), "{ this is not read"));
        assertThat(late()).isZero();
    }

    @Test
    void aReplyForAWaitingCallIsReadOnceAndHandedToIt() {
        String commandId = UUID.randomUUID().toString();
        List<ReplyEnvelope> got = new ArrayList<>();
        pending.register(commandId, got::add);

        consumer.onRecord(record(commandId, reply(commandId, instance.value())));

        assertThat(got).hasSize(1);
        assertThat(got.get(0).commandId()).isEqualTo(commandId);
        assertThat(got.get(0).resultJson()).isEqualTo(Json.write(SettlementResult.rejected("S-1", "m", List.of(), null)));
        assertThat(pending.size()).isZero();
        // a duplicate delivery finds nobody waiting: counted late, not handed over twice
        consumer.onRecord(record(commandId, reply(commandId, instance.value())));
        assertThat(got).hasSize(1);
        assertThat(late()).isEqualTo(1.0);
    }

    @Test
    void aReplyUnderAWaitingKeyButAddressedToAnotherInstanceLeavesTheCallWaiting() {
        String commandId = UUID.randomUUID().toString();
        List<ReplyEnvelope> got = new ArrayList<>();
        pending.register(commandId, got::add);

        consumer.onRecord(record(commandId, reply(commandId, "another-gateway-instance")));
        assertThat(got).isEmpty();
        assertThat(pending.waitsFor(commandId)).isTrue();

        consumer.onRecord(record(commandId, reply(commandId, instance.value())));
        assertThat(got).hasSize(1);
    }

    @Test
    void aLateReplyForThisInstanceIsCountedWithoutBeingRead() {
        consumer.onRecord(record(UUID.randomUUID().toString(), reply(UUID.randomUUID().toString(), instance.value())));
        consumer.onRecord(record(UUID.randomUUID().toString(), reply(UUID.randomUUID().toString(), "another-gateway-instance")));
        assertThat(late()).isEqualTo(1.0);
    }

    @Test
    void aRecordWithoutKeyIsReadToFindItsCall() {
        String commandId = UUID.randomUUID().toString();
        List<ReplyEnvelope> got = new ArrayList<>();
        pending.register(commandId, got::add);
        consumer.onRecord(record(null, reply(commandId, instance.value())));
        assertThat(got).hasSize(1);
        // and an unreadable one for a waiting call is an error of that record (the poll loop logs and skips it)
        String other = UUID.randomUUID().toString();
        pending.register(other, got::add);
        assertThatThrownBy(() -> consumer.onRecord(record(other, "{ broken"))).isInstanceOf(UncheckedIOException.class);
        // a record without value answers nobody
        consumer.onRecord(record(other, null));
        assertThat(pending.waitsFor(other)).isTrue();
    }
}
