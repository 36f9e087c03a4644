package cn.pharmacyclaims.gateway.command;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import cn.pharmacyclaims.gateway.reply.PendingReplies;
import cn.pharmacyclaims.gateway.reply.ReplyEnvelope;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Request-reply over Kafka: produces the command to {@code claims.settlement-requests} (keyed by
 * {@link SettlementCommand#kafkaKey()}, acks=all, idempotent producer) and waits for the reply
 * addressed to this instance, at most the wait budget (counted from the moment the command is
 * handed to the producer, acknowledgement included). An empty answer means "no decision yet": the
 * command was produced (or may have been) and settlement will still decide it. A send that fails
 * within the budget is a 503: nothing was produced.
 *
 * <p>One call is one small state machine (the first of reply, timer and send failure wins) that
 * answers on the request's own Vert.x context: a reply arrives on the replies consumer's thread, a
 * send failure on the producer's, and neither ever does the HTTP side's work.
 */
@Singleton
public class CommandDispatcher {
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);
    /** The command as {@link Json} writes it, straight to UTF-8 bytes (the record's serializer looked up once). */
    private static final ObjectWriter COMMAND = Json.MAPPER.writerFor(SettlementCommand.class);

    private final CommandProducer producer;
    private final PendingReplies pending;
    private final long budgetMillis;
    private final int retryAfterSeconds;

    public CommandDispatcher(CommandProducer producer, PendingReplies pending, GatewayConfig config) {
        this.producer = producer;
        this.pending = pending;
        this.budgetMillis = Math.max(1, config.waitBudget().toMillis());
        this.retryAfterSeconds = config.retryAfterSeconds();
    }

    private static byte[] json(SettlementCommand command) {
        try {
            return COMMAND.writeValueAsBytes(command);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Uni<Optional<ReplyEnvelope>> dispatch(SettlementCommand command) {
        return Uni.createFrom().emitter(em -> new Call(command, em).start());
    }

    private final class Call implements Consumer<ReplyEnvelope>, Callback {
        private final SettlementCommand command;
        private final UniEmitter<? super Optional<ReplyEnvelope>> emitter;
        private final Context context = Vertx.currentContext();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile long timerId = -1;
        private volatile ScheduledFuture<?> fallbackTimer;

        Call(SettlementCommand command, UniEmitter<? super Optional<ReplyEnvelope>> emitter) {
            this.command = command;
            this.emitter = emitter;
        }

        void start() {
            String commandId = command.commandId();
            // however the call ends (answered, timed out, failed, or the POS went away), nobody waits any more
            emitter.onTermination(() -> {
                pending.forget(commandId);
                cancelTimer();
            });
            byte[] json = json(command);
            pending.register(commandId, this);   // before the send: a fast reply must find its waiter
            if (context != null) {
                timerId = context.owner().setTimer(budgetMillis, id -> finish(Optional.empty(), null));
            } else {
                fallbackTimer = Infrastructure.getDefaultWorkerPool()
                        .schedule(() -> finish(Optional.empty(), null), budgetMillis, TimeUnit.MILLISECONDS);
            }
            producer.send(command.kafkaKey(), json, this);
        }

        /** The reply, on the replies consumer's thread. */
        @Override
        public void accept(ReplyEnvelope reply) {
            finish(Optional.of(reply), null);
        }

        /** The producer's acknowledgement, or why there is none. */
        @Override
        public void onCompletion(RecordMetadata metadata, Exception e) {
            if (e != null) {
                LOG.warnf("command %s (%s) not produced: %s", command.commandId(), command.type(), e.toString());
                finish(null, Refusal.retryLater(RefusalReason.SETTLEMENT_UNAVAILABLE,
                        "the request could not be handed to settlement; nothing was decided, retry with the same msgId",
                        retryAfterSeconds));
            }
        }

        private void finish(Optional<ReplyEnvelope> reply, Throwable failure) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (context == null || Vertx.currentContext() == context) {
                emit(reply, failure);
            } else {
                context.runOnContext(x -> emit(reply, failure));
            }
        }

        private void emit(Optional<ReplyEnvelope> reply, Throwable failure) {
            if (failure != null) {
                emitter.fail(failure);
            } else {
                emitter.complete(reply);
            }
        }

        private void cancelTimer() {
            long id = timerId;
            if (id >= 0 && context != null) {
                context.owner().cancelTimer(id);
            }
            ScheduledFuture<?> f = fallbackTimer;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
