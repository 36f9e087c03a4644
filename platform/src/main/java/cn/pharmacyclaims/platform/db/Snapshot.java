package cn.pharmacyclaims.platform.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

import java.util.function.Function;

/**
 * Reads that must agree with each other. A view assembled from several statements outside a transaction gives each statement
 * its own snapshot, so a transaction committing between two of them shows half its writes (a sanction without the deadline it
 * created). Here every statement of {@code reads} sees the same snapshot; nothing can be written.
 */
public final class Snapshot {
    private Snapshot() {
    }

    public static <T> Uni<T> read(Pool pool, Function<SqlClient, Uni<T>> reads) {
        return pool.withTransaction(tx -> tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .flatMap(x -> reads.apply(tx)));
    }
}
