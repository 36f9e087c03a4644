package cn.pharmacyclaims.platform.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PipelinedTransaction} on the real PostgreSQL: what it commits is there, what fails leaves
 * nothing behind, and the connection goes back to the pool outside any transaction (the pool here
 * has one connection, so the next use is on the same one).
 */
class PipelinedTransactionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Vertx vertx;
    private static Pool pool;   // one connection: every run reuses it
    private static Pool other;  // a second connection, to see only what was committed

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        OneConnectionPools pools = new OneConnectionPools(vertx, "pipelined");
        pool = pools.pool();
        other = pools.pool();
        pool.query("CREATE TABLE item (id int PRIMARY KEY, note text NOT NULL)").execute().await().atMost(WAIT);
    }

    @AfterAll
    static void stop() {
        pool.close().await().atMost(WAIT);
        other.close().await().atMost(WAIT);
        vertx.close().await().atMost(WAIT);
    }

    @BeforeEach
    void empty() {
        pool.query("DELETE FROM item").execute().await().atMost(WAIT);
    }

    private static Uni<?> insert(io.vertx.mutiny.sqlclient.SqlConnection c, int id) {
        return c.preparedQuery("INSERT INTO item (id, note) VALUES ($1, 'x')").execute(Tuple.of(id));
    }

    private static List<Integer> committedIds() {
        List<Integer> ids = new ArrayList<>();
        for (Row r : other.query("SELECT id FROM item ORDER BY id").execute().await().atMost(WAIT)) {
            ids.add(r.getInteger(0));
        }
        return ids;
    }

    /** Fails if the pooled connection were left inside a transaction (its insert would not be visible to the other). */
    private static void assertConnectionIsOutsideATransaction() {
        pool.query("INSERT INTO item (id, note) VALUES (999, 'autocommit')").execute().await().atMost(WAIT);
        assertThat(committedIds()).contains(999);
    }

    @Test
    void readsThenWritesAndCommitsInOneTransaction() {
        Long count = PipelinedTransaction.run(pool, tx -> insert(tx.connection(), 1)
                .chain(() -> tx.connection().query("SELECT count(*) FROM item").execute())
                .chain(rows -> tx.commitWith(List.of(insert(tx.connection(), 2), insert(tx.connection(), 3)))
                        .replaceWith(rows.iterator().next().getLong(0))))
                .await().atMost(WAIT);

        assertThat(count).isEqualTo(1L); // the read saw the transaction's own first insert
        assertThat(committedIds()).containsExactly(1, 2, 3);
        assertConnectionIsOutsideATransaction();
    }

    @Test
    void aFailingWriteBeforeTheCommitFailsTheRunAndLeavesNothing() {
        assertThatThrownBy(() -> PipelinedTransaction.run(pool, tx -> insert(tx.connection(), 1)
                        .chain(() -> tx.commitWith(List.of(insert(tx.connection(), 2), insert(tx.connection(), 2), insert(tx.connection(), 4)))))
                .await().atMost(WAIT))
                .hasMessageContaining("duplicate key");

        assertThat(committedIds()).isEmpty(); // the server answered the pipelined COMMIT with ROLLBACK
        assertConnectionIsOutsideATransaction();
    }

    @Test
    void aFailingReadRollsBackWhatWasWrittenBeforeIt() {
        assertThatThrownBy(() -> PipelinedTransaction.run(pool, tx -> insert(tx.connection(), 1)
                        .chain(() -> tx.connection().query("SELECT no_such_column FROM item").execute())
                        .chain(rows -> tx.commitWith(List.of())))
                .await().atMost(WAIT))
                .hasMessageContaining("no_such_column");

        assertThat(committedIds()).isEmpty();
        assertConnectionIsOutsideATransaction();
    }

    @Test
    void workThatForgetsToCommitIsRolledBackAndFails() {
        assertThatThrownBy(() -> PipelinedTransaction.run(pool, tx -> insert(tx.connection(), 1).replaceWith("done"))
                .await().atMost(WAIT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without commitWith");

        assertThat(committedIds()).isEmpty();
        assertConnectionIsOutsideATransaction();
    }

    @Test
    void aCancelledRunIsRolledBackBeforeItsConnectionIsReused() throws Exception {
        java.util.concurrent.CountDownLatch inserted = new java.util.concurrent.CountDownLatch(1);
        io.smallrye.mutiny.subscription.Cancellable running = PipelinedTransaction.run(pool, tx -> insert(tx.connection(), 5)
                        .invoke(inserted::countDown)
                        .chain(() -> Uni.createFrom().<Void>nothing()) // waits for ever, as a stuck step would
                        .chain(() -> tx.commitWith(List.of())))
                .subscribe().with(x -> { }, f -> { });
        assertThat(inserted.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        running.cancel();

        // the one connection is handed out again only after the ROLLBACK; its insert is gone
        assertConnectionIsOutsideATransaction();
        assertThat(committedIds()).containsExactly(999);
    }

    @Test
    void aCommitWithNothingElseCommitsWhatTheReadsWrote() {
        PipelinedTransaction.run(pool, tx -> insert(tx.connection(), 7).chain(() -> tx.commitWith(List.of())))
                .await().atMost(WAIT);

        assertThat(committedIds()).containsExactly(7);
    }
}
