package cn.pharmacyclaims.gateway.command;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.config.InstanceId;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import cn.pharmacyclaims.gateway.reply.PendingReplies;
import cn.pharmacyclaims.gateway.support.TestConfig;
import cn.pharmacyclaims.testinfra.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The producer is called on the request's event loop, so it must never wait: a command it cannot
 * take at once (here: no broker, so the topic's partitions were never learnt) fails the call with
 * 503 SETTLEMENT_UNAVAILABLE, nothing produced, and leaves nobody waiting for a reply.
 */
class CommandDispatcherTest {

    @Test
    void aCommandTheProducerCannotTakeAtOnceIs503AndNobodyWaits() {
        GatewayConfig config = TestConfig.gateway(Map.of("pc.gateway.wait-budget", "30s"));
        CommandProducer producer = new CommandProducer(config, new InstanceId(config), "127.0.0.1:" + FreePorts.next());
        try {
            PendingReplies pending = new PendingReplies(new SimpleMeterRegistry());
            CommandDispatcher dispatcher = new CommandDispatcher(producer, pending, config);
            SettlementRequest request = new SettlementRequest("P44010500001202611231015000001", "P44010500001",
                    OffsetDateTime.now(), null, new SettlementRequest.Insured("PSN-1", SettlementRequest.CertType.ID_CARD, "X"),
                    null, null, true, List.of());
            SettlementCommand command = new SettlementCommand("c-1", CommandType.SETTLE, "gw", "T-1", OffsetDateTime.now(),
                    "hash", request, null, null);

            assertThat(producer.ready()).isFalse();
            // well within the 30 s budget: the failure is immediate, not a timeout
            assertThatThrownBy(() -> dispatcher.dispatch(command).await().atMost(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(Refusal.class,
                            r -> assertThat(r.reason()).isEqualTo(RefusalReason.SETTLEMENT_UNAVAILABLE));
            assertThat(pending.size()).isZero();
        } finally {
            producer.stop(null);
        }
    }
}
