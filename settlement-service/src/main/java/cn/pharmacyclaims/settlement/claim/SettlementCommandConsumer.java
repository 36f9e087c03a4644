package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes {@code claims.settlement-requests} (key psnNo) a poll's batch at a time. The channel
 * runs several consumers ({@code pc.settlement.consumer-concurrency}), each owning some
 * partitions; within a batch, one person's commands run one after the other in partition order,
 * different persons' at the same time ({@code pc.settlement.batch-parallelism}, {@link KeyOrdered}).
 *
 * <p>Acknowledgement: the batch is acknowledged (its offsets committed) only after every command
 * in it committed its transaction (or was dead-lettered) and its reply was handed to the producer.
 * A record that is not a command goes to {@code claims.settlement-requests.dlq} at once; transient
 * database failures are retried in place (nothing acknowledged meanwhile); anything else is
 * retried a few times, then dead-lettered with its reason ({@link DeadLetters}). A redelivered
 * command that had committed is answered from the stored result (CLM-01).
 */
@ApplicationScoped
public class SettlementCommandConsumer {
    private static final Logger LOG = Logger.getLogger(SettlementCommandConsumer.class);

    private final ClaimProcessor processor;
    private final ReplySender replies;
    private final OutboxRelay relay;
    private final DeadLetters deadLetters;
    private final int parallelism;

    public SettlementCommandConsumer(ClaimProcessor processor, ReplySender replies, OutboxRelay relay, DeadLetters deadLetters,
                                     SettlementConfig config) {
        this.processor = processor;
        this.replies = replies;
        this.relay = relay;
        this.deadLetters = deadLetters;
        this.parallelism = config.batchParallelism();
    }

    @Incoming("settlement-requests")
    public Uni<Void> onBatch(ConsumerRecords<String, String> batch) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>(batch.count());
        batch.forEach(records::add); // partition by partition, each in offset order
        return KeyOrdered.process(records, ConsumerRecord::key, parallelism, this::onRecord)
                .invoke(() -> relay.nudge()); // one relay pass for the decisions of the whole batch
    }

    private Uni<Void> onRecord(ConsumerRecord<String, String> record) {
        SettlementCommand cmd;
        try {
            cmd = Commands.parse(record.value());
        } catch (InvalidCommand e) {
            return deadLetters.send(record, e);
        }
        return processor.process(cmd)
                // after the commit: answer the gateway (not awaited: the reply is a notification)
                .invoke(outcome -> replies.send(new SettlementReply(cmd.commandId(), cmd.replyTo(), outcome.outcome(),
                        outcome.result(), outcome.detail())))
                .replaceWithVoid()
                .onFailure().recoverWithUni(f -> {
                    LOG.errorf(f, "command %s (%s) failed; dead-lettering it", cmd.commandId(), cmd.type());
                    return deadLetters.send(record, f);
                });
    }
}
