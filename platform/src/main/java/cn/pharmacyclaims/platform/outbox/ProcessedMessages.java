package cn.pharmacyclaims.platform.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

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
}
