package cn.pharmacyclaims.platform.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Idempotent consumer: call {@link #firstTime} inside the transaction that applies a message; when
 * it answers false the message was applied before (a redelivery) and the caller must change nothing.
 */
@ApplicationScoped
public class ProcessedMessages {
    public Uni<Boolean> firstTime(SqlClient tx, String consumer, String messageId) {
        return tx.preparedQuery("INSERT INTO processed_message (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(consumer, messageId))
                .map(r -> r.rowCount() == 1);
    }

    /**
     * The same for a consumer that applies a batch in one transaction: records every id not seen
     * before in one statement and answers which those were; the others must change nothing.
     */
    public Uni<Set<String>> firstTimeAll(SqlClient tx, String consumer, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery("INSERT INTO processed_message (consumer, message_id) SELECT $1, id FROM unnest($2::text[]) AS id"
                        + " ON CONFLICT DO NOTHING RETURNING message_id")
                .execute(Tuple.of(consumer, messageIds.toArray(new String[0])))
                .map(rs -> {
                    Set<String> fresh = new HashSet<>();
                    for (Row r : rs) {
                        fresh.add(r.getString("message_id"));
                    }
                    return fresh;
                });
    }
}
