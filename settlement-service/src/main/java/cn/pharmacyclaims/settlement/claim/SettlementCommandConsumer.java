package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Processes {@code claims.settlement-requests} (key psnNo) a poll's batch at a time, for each of
 * the {@link CommandConsumers} (several per instance, each owning some partitions); within a batch, one person's commands run one after the other in partition order
 * (rounds, {@link KeyOrdered#rounds}), different persons' together: their SETTLEs in one
 * transaction per group ({@code pc.settlement.group-commit.max-settlements}), other commands each
 * in its own, at most {@code pc.settlement.batch-parallelism} transactions at once.
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
    private final int maxGroup;
    // Where a command's time in this service goes (docs/performance.md): waiting to be polled, its batch, its group.
    private final Timer queued;
    private final Timer batchTimer;
    private final DistributionSummary batchSize;
    private final Timer groupTimer;
    private final DistributionSummary groupSize;

    public SettlementCommandConsumer(ClaimProcessor processor, ReplySender replies, OutboxRelay relay, DeadLetters deadLetters,
                                     SettlementConfig config, MeterRegistry registry) {
        this.processor = processor;
        this.replies = replies;
        this.relay = relay;
        this.deadLetters = deadLetters;
        this.parallelism = Math.max(1, config.batchParallelism());
        this.maxGroup = Math.max(1, config.groupCommit().maxSettlements());
        this.queued = Timer.builder("pc.settlement.command.queued")
                .description("from a command's record timestamp (the gateway's send) to the start of its batch: broker hop and the wait for the batch before")
                .register(registry);
        this.batchTimer = Timer.builder("pc.settlement.batch")
                .description("time to process one poll's batch of commands, until every reply is handed on").register(registry);
        this.batchSize = DistributionSummary.builder("pc.settlement.batch.size").description("commands per polled batch")
                .register(registry);
        this.groupTimer = Timer.builder("pc.settlement.group")
                .description("time of one group commit (SETTLEs of different persons in one transaction)").register(registry);
        this.groupSize = DistributionSummary.builder("pc.settlement.group.size").description("settlements per group commit")
                .register(registry);
    }

    /** A record and the command it holds. */
    private record Received(ConsumerRecord<String, String> record, SettlementCommand cmd) {
    }

    /** Completes when every command of the batch committed (or was dead-lettered) and its reply was handed on. */
    public Uni<Void> onBatch(ConsumerRecords<String, String> batch) {
        long startedMs = System.currentTimeMillis();
        Timer.Sample sample = Timer.start();
        batchSize.record(batch.count());
        List<Received> commands = new ArrayList<>(batch.count());
        List<Uni<Void>> invalid = new ArrayList<>();
        for (ConsumerRecord<String, String> record : batch) { // partition by partition, each in offset order
            queued.record(Math.max(0, startedMs - record.timestamp()), TimeUnit.MILLISECONDS);
            try {
                commands.add(new Received(record, Commands.parse(record.value())));
            } catch (InvalidCommand e) {
                invalid.add(deadLetters.send(record, e));
            }
        }
        // Round k holds the k-th command of every person in the batch: rounds run one after the
        // other, so each person's commands keep their order (CLM-12), and within a round every
        // command is of a different person.
        invalid.add(KeyOrdered.inRounds(commands, r -> r.record().key(), this::onRound));
        return Uni.combine().all().unis(invalid).discardItems()
                .eventually(() -> sample.stop(batchTimer))
                // one relay pass for the decisions of the whole batch, before the next poll: the replies are out
                // already, and the pass does not run beside the next batch's group commit
                .call(relay::pass);
    }

    /**
     * The SETTLEs of a round go in groups of up to {@code pc.settlement.group-commit.max-settlements},
     * one transaction each (group commit: the statements, the commit and the WAL flush are shared);
     * anything else, and a SETTLE whose msgId or person is already in the round's groups (possible
     * only when records are not keyed by person, or a msgId is reused), runs on its own.
     */
    private Uni<Void> onRound(List<Received> round) {
        List<Received> settles = new ArrayList<>();
        List<Uni<Void>> tasks = new ArrayList<>();
        Set<String> msgIds = new HashSet<>();
        Set<String> persons = new HashSet<>();
        List<Received> singles = new ArrayList<>();
        for (Received r : round) {
            SettlementRequest req = r.cmd().type() == CommandType.SETTLE ? r.cmd().settlement() : null;
            if (maxGroup > 1 && req != null && req.psnNo() != null && !msgIds.contains(req.msgId()) && !persons.contains(req.psnNo())) {
                msgIds.add(req.msgId());
                persons.add(req.psnNo());
                settles.add(r);
            } else {
                singles.add(r);
            }
        }
        List<Supplier<Uni<Void>>> work = new ArrayList<>();
        for (int from = 0; from < settles.size(); from += maxGroup) {
            List<Received> group = settles.subList(from, Math.min(settles.size(), from + maxGroup));
            work.add(() -> group.size() == 1 ? onCommand(group.get(0)) : onGroup(group));
        }
        singles.forEach(r -> work.add(() -> onCommand(r)));
        return Multi.createFrom().iterable(work)
                .onItem().transformToUni(Supplier::get).merge(parallelism)
                .collect().last().replaceWithVoid();
    }

    /** SETTLEs of different persons in one transaction; if it fails, each on its own (with its retries and dead letter). */
    private Uni<Void> onGroup(List<Received> group) {
        List<SettlementCommand> cmds = group.stream().map(Received::cmd).toList();
        Timer.Sample sample = Timer.start();
        groupSize.record(cmds.size());
        return processor.settleAll(cmds)
                .eventually(() -> sample.stop(groupTimer))
                .invoke(outcomes -> {
                    for (int i = 0; i < cmds.size(); i++) {
                        reply(cmds.get(i), outcomes.get(i));
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(f -> {
                    LOG.warnf("a group of %d settlements failed (%s); settling them one by one", cmds.size(), f.toString());
                    return Multi.createFrom().iterable(group).onItem().transformToUni(this::onCommand).merge(parallelism)
                            .collect().last().replaceWithVoid();
                });
    }

    private Uni<Void> onCommand(Received r) {
        SettlementCommand cmd = r.cmd();
        return processor.process(cmd)
                .invoke(outcome -> reply(cmd, outcome))
                .replaceWithVoid()
                .onFailure().recoverWithUni(f -> {
                    LOG.errorf(f, "command %s (%s) failed; dead-lettering it", cmd.commandId(), cmd.type());
                    return deadLetters.send(r.record(), f);
                });
    }

    /** After the commit: answer the gateway (not awaited: the reply is a notification). */
    private void reply(SettlementCommand cmd, CommandOutcome outcome) {
        replies.send(new SettlementReply(cmd.commandId(), cmd.replyTo(), outcome.outcome(), outcome.result(), outcome.detail()));
    }
}
