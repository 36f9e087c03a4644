package cn.pharmacyclaims.gateway.reply;

import cn.pharmacyclaims.common.events.SettlementReply;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * POS calls of this instance waiting for settlement's reply, by commandId. An entry lives from
 * just before the command is produced until the reply arrives or the wait budget ends, whichever
 * is first: the caller always {@link #forget}s it, so the map cannot grow with lost replies.
 */
@Singleton
public class PendingReplies {
    private final ConcurrentMap<String, CompletableFuture<SettlementReply>> waiting = new ConcurrentHashMap<>();

    public PendingReplies(MeterRegistry meters) {
        Gauge.builder("pc.gateway.pending-replies", waiting, ConcurrentMap::size)
                .description("POS calls waiting for settlement's reply").register(meters);
    }

    /** Registered before the command is produced: a fast reply must find its waiter. */
    public CompletableFuture<SettlementReply> register(String commandId) {
        CompletableFuture<SettlementReply> f = new CompletableFuture<>();
        waiting.put(commandId, f);
        return f;
    }

    /** Completes the waiting call; false when nobody waits any more (the budget ran out). */
    public boolean complete(SettlementReply reply) {
        CompletableFuture<SettlementReply> f = waiting.remove(reply.commandId());
        return f != null && f.complete(reply);
    }

    public void forget(String commandId) {
        waiting.remove(commandId);
    }

    public int size() {
        return waiting.size();
    }
}
