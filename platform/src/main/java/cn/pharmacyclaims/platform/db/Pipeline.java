package cn.pharmacyclaims.platform.db;

import io.smallrye.mutiny.Uni;

import java.util.Arrays;
import java.util.List;

/**
 * Statements sent together on one connection: the reactive PostgreSQL client pipelines the
 * commands it is given before earlier ones answer, and the server runs them one after the other
 * in the order sent. So independent statements of a transaction cost one round trip, not one each.
 *
 * <p>The unis are subscribed in the order given (that is the order the statements are sent; each
 * must issue its statement when subscribed, not after another statement answered). The first
 * failure fails the whole (a failed statement aborts the transaction, the later ones then fail
 * too): the caller's transaction rolls back and its retry policy sees that first, real cause.
 * {@link PipelinedTransaction.Tx#commitWith} sends the last of them with the COMMIT behind.
 */
public final class Pipeline {
    private Pipeline() {
    }

    public static Uni<Void> all(Uni<?>... statements) {
        return all(Arrays.asList(statements));
    }

    public static Uni<Void> all(List<? extends Uni<?>> statements) {
        if (statements.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (statements.size() == 1) {
            return statements.get(0).replaceWithVoid();
        }
        return Uni.combine().all().unis(statements).discardItems();
    }
}
