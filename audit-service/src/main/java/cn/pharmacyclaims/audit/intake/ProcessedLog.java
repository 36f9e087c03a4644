package cn.pharmacyclaims.audit.intake;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The platform's processed-message log ({@code ProcessedMessages}, same table, same rows) for a whole
 * batch in one statement: inside the batch's transaction it records every id not seen before and
 * answers which those were. A candidate for {@code platform} if another consumer batches too.
 */
final class ProcessedLog {
    private ProcessedLog() {
    }

    /** @return the ids recorded now, i.e. never processed before; the others must change nothing */
    static Uni<Set<String>> firstTime(SqlClient tx, String consumer, Collection<String> messageIds) {
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
