package cn.pharmacyclaims.platform.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A transaction in two round trips instead of four: {@code BEGIN} goes out with the first
 * statements, {@code COMMIT} with the last ones.
 *
 * <p>Why: the client's own transactions ({@code Pool.withTransaction}) wait for {@code BEGIN}'s
 * answer before the first statement is sent, and send {@code COMMIT} only once every statement
 * has answered. So a transaction that reads, decides and writes costs four round trips, each a
 * wake-up of the server process and of the event loop; on a busy machine each is milliseconds of
 * waiting (docs/performance.md, step 18). The server runs what one connection sends strictly in
 * order, so nothing is lost by sending them together.
 *
 * <p>Correctness of the pipelined {@code COMMIT}: if a statement sent before it fails, the server
 * aborts the transaction and answers the {@code COMMIT} with {@code ROLLBACK} (not an error);
 * the failed statement's own answer arrives first and fails {@link Tx#commitWith}, so a failure is
 * never reported as a commit. Every other ending, a cancellation included, sends {@code ROLLBACK}
 * before the connection goes back to the pool (harmless if the server already ended the
 * transaction); if even that fails, the connection is broken and the pool drops it.
 */
public final class PipelinedTransaction {
    private PipelinedTransaction() {
    }

    /** The open transaction handed to the work. */
    public static final class Tx {
        private final SqlConnection connection;
        private boolean committing;

        private Tx(SqlConnection connection) {
            this.connection = connection;
        }

        public SqlConnection connection() {
            return connection;
        }

        /**
         * Sends the statements (each a uni that issues its statement when subscribed; they are
         * subscribed in the order given) and {@code COMMIT} behind them, without waiting in
         * between. Succeeds only if every statement and the commit succeeded. Call it once, last.
         */
        public Uni<Void> commitWith(List<? extends Uni<?>> statements) {
            if (committing) {
                throw new IllegalStateException("commitWith called twice in one transaction");
            }
            committing = true;
            List<Uni<?>> all = new ArrayList<>(statements);
            all.add(connection.query("COMMIT").execute());
            return Pipeline.all(all);
        }
    }

    /**
     * Runs {@code work} in a transaction on a pooled connection. {@code BEGIN} is sent at once and
     * the statements {@code work} issues go right behind it; {@code work} must end with
     * {@link Tx#commitWith} (a work that completes without committing is rolled back and fails).
     */
    public static <T> Uni<T> run(Pool pool, Function<Tx, Uni<T>> work) {
        // Not pool.withConnection: the client does not know of this transaction, so it would hand the
        // connection back as it is; here it goes back only after a COMMIT that succeeded, or a ROLLBACK.
        return pool.getConnection().chain(conn -> {
            Tx tx = new Tx(conn);
            // subscribed now, so that BEGIN is the connection's first command; awaited with the rest
            Uni<Void> begin = Uni.createFrom().completionStage(conn.query("BEGIN").execute().subscribeAsCompletionStage())
                    .replaceWithVoid();
            Uni<T> body = Uni.createFrom().deferred(() -> work.apply(tx));
            return Uni.combine().all().unis(begin, body).asTuple()
                    .map(t -> {
                        if (!tx.committing) {
                            throw new IllegalStateException("a pipelined transaction's work completed without commitWith");
                        }
                        return t.getItem2();
                    })
                    // failed or cancelled (also after the COMMIT was sent: then the ROLLBACK finds no transaction)
                    .onTermination().call((item, failure, cancelled) -> (failure != null || cancelled
                            ? conn.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull()
                            : Uni.createFrom().voidItem())
                            .eventually(conn::close));
        });
    }
}
