package cn.pharmacyclaims.platform.outbox;

import cn.pharmacyclaims.platform.db.ColumnArrays;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Writes events into the outbox inside the caller's transaction: the event exists if and only if
 * the state change committed (no dual write). {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {
    private static final String INSERT =
            "INSERT INTO outbox (event_id, topic, msg_key, payload) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING";

    private static final String INSERT_ALL = "INSERT INTO outbox (event_id, topic, msg_key, payload)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (event_id) DO NOTHING";

    /** @param tx a connection inside the transaction that makes the state change */
    public Uni<Void> add(SqlClient tx, OutboxMessage message) {
        return tx.preparedQuery(INSERT)
                .execute(Tuple.of(message.eventId(), message.topic(), message.key(), message.payload()))
                .replaceWithVoid();
    }

    /**
     * Several events in one statement (their rows as arrays): a group transaction writes its events
     * with one execution instead of one per event. The rows are inserted, and take their ids, in the
     * list's order (unnest yields the arrays in order), so the relay publishes them in that order.
     */
    public Uni<Void> addAll(SqlClient tx, List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ColumnArrays rows = ColumnArrays.of(String.class, String.class, String.class, String.class);
        messages.forEach(m -> rows.add(m.eventId(), m.topic(), m.key(), m.payload()));
        return tx.preparedQuery(INSERT_ALL).execute(rows.tuple()).replaceWithVoid();
    }
}
