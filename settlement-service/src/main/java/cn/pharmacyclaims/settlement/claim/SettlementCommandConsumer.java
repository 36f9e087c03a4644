package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code claims.settlement-requests} (key psnNo: one person's purchases in order). The
 * channel runs several consumers ({@code pc.settlement.consumer-concurrency}), each owning some
 * partitions and processing them in order.
 *
 * <p>Acknowledgement: the record is acknowledged only after its transaction committed and the
 * reply was handed to Kafka. A record that is not a command fails at once and goes to
 * {@code claims.settlement-requests.dlq} (the partition keeps moving); transient database failures
 * are retried in place (never acknowledged meanwhile); anything else is retried a few times, then
 * dead-lettered with its reason. A redelivered command that had committed is answered from the
 * stored result (CLM-01).
 */
@ApplicationScoped
public class SettlementCommandConsumer {
    private static final Logger LOG = Logger.getLogger(SettlementCommandConsumer.class);

    private final ClaimProcessor processor;
    private final ReplySender replies;
    private final OutboxRelay relay;

    public SettlementCommandConsumer(ClaimProcessor processor, ReplySender replies, OutboxRelay relay) {
        this.processor = processor;
        this.replies = replies;
        this.relay = relay;
    }

    @Incoming("settlement-requests")
    public Uni<Void> onCommand(String payload) {
        SettlementCommand cmd;
        try {
            cmd = Commands.parse(payload);
        } catch (InvalidCommand e) {
            LOG.warnf("dead-lettering a record of the command topic: %s", e.getMessage());
            return Uni.createFrom().failure(e);
        }
        return processor.process(cmd)
                .onFailure().invoke(f -> LOG.errorf(f, "command %s (%s) failed; dead-lettering it", cmd.commandId(), cmd.type()))
                // after the commit: answer the gateway, then let the relay publish the decision now
                .call(outcome -> replies.send(new SettlementReply(cmd.commandId(), cmd.replyTo(), outcome.outcome(),
                        outcome.result(), outcome.detail())))
                .invoke(outcome -> {
                    if (outcome.changed()) {
                        relay.nudge();
                    }
                })
                .replaceWithVoid();
    }
}
