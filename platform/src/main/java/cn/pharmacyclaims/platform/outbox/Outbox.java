package cn.pharmacyclaims.platform.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes events into the outbox inside the caller's transaction: the event exists if and only if
 * the state change committed (no dual write). {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {
    private static final String INSERT =
            "INSERT INTO outbox (event_id, topic, msg_key, payload) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING";

    /** @param tx a connection inside the transaction that makes the state change */
    public Uni<Void> add(SqlClient tx, OutboxMessage message) {
        return tx.preparedQuery(INSERT)
                .execute(Tuple.of(message.eventId(), message.topic(), message.key(), message.payload()))
                .replaceWithVoid();
    }

    public Uni<Void> addAll(SqlClient tx, List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(messages.size());
        for (OutboxMessage m : messages) {
            rows.add(Tuple.of(m.eventId(), m.topic(), m.key(), m.payload()));
        }
        return tx.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
    }
}
