package cn.pharmacyclaims.gateway.reply;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * POS calls of this instance waiting for settlement's reply, by commandId (the key of every
 * record on {@code gateway.replies}, so a reply is routed without reading it). An entry lives from
 * just before the command is produced until the reply arrives or the wait budget ends, whichever
 * is first: the caller always {@link #forget}s it, so the map cannot grow with lost replies.
 */
@Singleton
public class PendingReplies {
    private final ConcurrentMap<String, Consumer<ReplyEnvelope>> waiting = new ConcurrentHashMap<>();

    public PendingReplies(MeterRegistry meters) {
        Gauge.builder("pc.gateway.pending-replies", waiting, ConcurrentMap::size)
                .description("POS calls waiting for settlement's reply").register(meters);
    }

    /** Registered before the command is produced: a fast reply must find its waiter. */
    public void register(String commandId, Consumer<ReplyEnvelope> waiter) {
        waiting.put(commandId, waiter);
    }

    /** Whether a call of this instance waits for this commandId (a cheap test before reading a record). */
    public boolean waitsFor(String commandId) {
        return commandId != null && waiting.containsKey(commandId);
    }

    /** Hands the reply to the waiting call; false when nobody waits any more (the budget ran out). */
    public boolean complete(ReplyEnvelope reply) {
        Consumer<ReplyEnvelope> waiter = reply.commandId() == null ? null : waiting.remove(reply.commandId());
        if (waiter == null) {
            return false;
        }
        waiter.accept(reply);
        return true;
    }

    public void forget(String commandId) {
        waiting.remove(commandId);
    }

    public int size() {
        return waiting.size();
    }
}
