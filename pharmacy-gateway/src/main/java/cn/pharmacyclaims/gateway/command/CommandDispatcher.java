package cn.pharmacyclaims.gateway.command;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import cn.pharmacyclaims.gateway.reply.PendingReplies;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Request-reply over Kafka: produces the command to {@code claims.settlement-requests} (keyed by
 * {@link SettlementCommand#kafkaKey()}, acks=all, idempotent producer) and waits for the reply
 * addressed to this instance, at most the wait budget. An empty answer means "no decision yet":
 * the command was produced (or may have been) and settlement will still decide it.
 */
@Singleton
public class CommandDispatcher {
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);

    private final MutinyEmitter<String> requests;
    private final PendingReplies pending;
    private final Duration budget;
    private final int retryAfterSeconds;

    public CommandDispatcher(@Channel("settlement-requests") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                             MutinyEmitter<String> requests,
                             PendingReplies pending, GatewayConfig config) {
        this.requests = requests;
        this.pending = pending;
        this.budget = config.waitBudget();
        this.retryAfterSeconds = config.retryAfterSeconds();
    }

    public Uni<Optional<SettlementReply>> dispatch(SettlementCommand command) {
        String commandId = command.commandId();
        CompletableFuture<SettlementReply> reply = pending.register(commandId);
        Message<String> message = Message.of(Json.write(command))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(command.kafkaKey()).build());
        Uni<Optional<SettlementReply>> answer = Uni.createFrom().deferred(() -> requests.sendMessage(message))
                .onFailure().transform(e -> {
                    LOG.warnf("command %s (%s) not produced: %s", commandId, command.type(), e.toString());
                    return Refusal.retryLater(RefusalReason.SETTLEMENT_UNAVAILABLE,
                            "the request could not be handed to settlement; nothing was decided, retry with the same msgId",
                            retryAfterSeconds);
                })
                .chain(() -> Uni.createFrom().completionStage(reply))
                .map(Optional::of)
                .ifNoItem().after(budget).recoverWithItem(Optional.empty())
                .onTermination().invoke(() -> pending.forget(commandId));
        Context context = Vertx.currentContext();
        if (context == null) {
            return answer;
        }
        // a reply completes on the replies consumer's thread, a timeout on a timer thread: continue
        // on the request's own context, so neither thread ever does the HTTP side's work
        return answer.emitOn(task -> context.runOnContext(x -> task.run()));
    }
}
