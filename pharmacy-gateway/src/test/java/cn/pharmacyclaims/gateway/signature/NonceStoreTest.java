package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.gateway.support.FakeSettlementQueryApi;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SEC-01 replay protection in the gateway database, shared by every instance, recorded in micro-batches. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(FakeSettlementQueryApi.class)
class NonceStoreTest {
    @Inject
    NonceStore nonces;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;

    private long count(String terminal, String nonce) {
        return pool.preparedQuery("SELECT count(*) AS n FROM seen_nonce WHERE terminal_id = $1 AND nonce = $2")
                .execute(Tuple.of(terminal, nonce)).await().indefinitely().iterator().next().getLong("n");
    }

    private static String terminal() {
        return "T-" + UUID.randomUUID();
    }

    private static String nonce() {
        return "nonce-" + UUID.randomUUID();
    }

    /**
     * Holds the store's next statement in flight: another transaction has inserted (terminal,
     * nonce) and not committed, so an insert of the same key waits for it. Everything submitted
     * meanwhile queues for the following statement.
     */
    private final class Blocker implements AutoCloseable {
        final String terminal = terminal();
        final String nonce = nonce();
        final SqlConnection conn = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        final Transaction tx = conn.begin().await().atMost(Duration.ofSeconds(10));

        Blocker() {
            conn.preparedQuery("INSERT INTO seen_nonce (terminal_id, nonce) VALUES ($1, $2)")
                    .execute(Tuple.of(terminal, nonce)).await().atMost(Duration.ofSeconds(10));
        }

        /** Rolls back: the held statement then inserts the key itself. */
        void release() {
            tx.rollback().await().atMost(Duration.ofSeconds(10));
        }

        @Override
        public void close() {
            conn.close().await().atMost(Duration.ofSeconds(10));
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void sec01_aNonceIsFirstUsedOncePerTerminal() {
        String terminal = terminal();
        String nonce = nonce();
        assertThat(nonces.firstUse(terminal, nonce).await().indefinitely()).isTrue();
        assertThat(nonces.firstUse(terminal, nonce).await().indefinitely()).isFalse();
        // the same nonce from another terminal is that terminal's own first use
        assertThat(nonces.firstUse(terminal(), nonce).await().indefinitely()).isTrue();
    }

    @Test
    void sec01_noncesOlderThanTwiceTheSkewWindowArePurged() {
        String terminal = terminal();
        pool.preparedQuery("INSERT INTO seen_nonce (terminal_id, nonce, seen_at) VALUES "
                        + "($1, 'old-nonce-000000001', now() - interval '11 minutes'), "
                        + "($1, 'recent-nonce-000001', now() - interval '9 minutes')")
                .execute(Tuple.of(terminal)).await().indefinitely();

        nonces.purge().await().indefinitely();

        assertThat(count(terminal, "old-nonce-000000001")).isZero();
        assertThat(count(terminal, "recent-nonce-000001")).isEqualTo(1);
    }

    @Test
    void sec01_noncesArrivingWhileAStatementIsInFlightShareTheNextOneAndAreAllNew() throws Exception {
        String terminal = terminal();
        try (Blocker blocker = new Blocker()) {
            long before = nonces.statements();
            CompletableFuture<Boolean> held = nonces.firstUse(blocker.terminal, blocker.nonce).subscribeAsCompletionStage();
            List<String> distinct = new ArrayList<>();
            List<CompletableFuture<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String n = nonce();
                distinct.add(n);
                answers.add(nonces.firstUse(terminal, n).subscribeAsCompletionStage());
            }
            assertThat(nonces.statements() - before).as("the 100 wait for the held statement").isEqualTo(1);
            assertThat(answers).noneMatch(CompletableFuture::isDone);

            blocker.release();

            assertThat(get(held)).isTrue();
            for (CompletableFuture<Boolean> a : answers) {
                assertThat(get(a)).isTrue();
            }
            assertThat(nonces.statements() - before).as("one statement for the held nonce, one for the 100").isEqualTo(2);
            for (String n : distinct) {
                assertThat(count(terminal, n)).isEqualTo(1);
            }
        }
    }

    @Test
    void sec01_concurrentUsesOfOneNonceAdmitExactlyOne() throws Exception {
        String terminal = terminal();
        String nonce = nonce();
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        try (Blocker blocker = new Blocker()) {
            CompletableFuture<Boolean> held = nonces.firstUse(blocker.terminal, blocker.nonce).subscribeAsCompletionStage();
            // twenty copies from four threads, all in the same next statement
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Boolean>> shared = java.util.Collections.synchronizedList(answers);
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 5; i++) {
                        shared.add(nonces.firstUse(terminal, nonce).subscribeAsCompletionStage());
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            blocker.release();
            assertThat(get(held)).isTrue();
        }
        List<Boolean> results = new ArrayList<>();
        for (CompletableFuture<Boolean> a : answers) {
            results.add(get(a));
        }
        assertThat(results).hasSize(20).containsOnlyOnce(true);
        // and a later copy, in a statement of its own, is a replay
        assertThat(nonces.firstUse(terminal, nonce).await().atMost(Duration.ofSeconds(10))).isFalse();
        assertThat(count(terminal, nonce)).isEqualTo(1);
    }

    @Test
    void sec01_twoInstancesRacingForTheSameNoncesAdmitEachOnce() throws Exception {
        NonceStore other = new NonceStore(pool, Duration.ofMinutes(5), 256);
        String terminal = terminal();
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            shared.add(nonce());
        }
        List<CompletableFuture<Boolean>> here = new ArrayList<>();
        List<CompletableFuture<Boolean>> there = new ArrayList<>();
        for (String n : shared) {
            here.add(nonces.firstUse(terminal, n).subscribeAsCompletionStage());
            there.add(other.firstUse(terminal, n).subscribeAsCompletionStage());
        }
        for (int i = 0; i < shared.size(); i++) {
            assertThat(get(here.get(i)) ^ get(there.get(i))).as("exactly one instance admits %s", shared.get(i)).isTrue();
        }
    }

    /**
     * A "database" that accepts connections and never answers, until {@link #drop()}: then every
     * connection it has, and every later one, is closed at once (a database that went away).
     */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        volatile boolean dropping;

        SilentServer() throws IOException {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.add(s);
                        if (dropping) {
                            s.close();
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-db");
            t.setDaemon(true);
            t.start();
        }

        void drop() throws IOException {
            dropping = true;
            for (Socket s : accepted) {
                s.close();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            drop();
        }
    }

    @Test
    void sec01_whenTheDatabaseFailsEveryCallerOfTheStatementGetsTheErrorAndTheNextCallTriesAgain() throws Exception {
        try (SilentServer db = new SilentServer()) {
            io.vertx.sqlclient.Pool dead = PgBuilder.pool()
                    .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(db.server.getLocalPort())
                            .setDatabase("gateway").setUser("postgres").setPassword("postgres"))
                    .using(vertx).build();
            try {
                NonceStore broken = new NonceStore(Pool.newInstance(dead), Duration.ofMinutes(5), 256);
                String terminal = terminal();
                // the first statement hangs on the silent server; the nine queue behind it
                CompletableFuture<Boolean> first = broken.firstUse(terminal, nonce()).subscribeAsCompletionStage();
                List<CompletableFuture<Boolean>> queued = new ArrayList<>();
                for (int i = 0; i < 9; i++) {
                    queued.add(broken.firstUse(terminal, nonce()).subscribeAsCompletionStage());
                }
                assertThat(broken.statements()).isEqualTo(1);

                db.drop();

                assertThatThrownBy(() -> get(first)).isInstanceOf(ExecutionException.class);
                for (CompletableFuture<Boolean> a : queued) {
                    assertThatThrownBy(() -> get(a)).as("every caller of the failed statement").isInstanceOf(ExecutionException.class);
                }
                assertThat(broken.statements()).as("the nine failed together, in one statement").isEqualTo(2);
                // nothing stays stuck behind a failed statement: the next call is a statement of its own
                assertThatThrownBy(() -> get(broken.firstUse(terminal, nonce()).subscribeAsCompletionStage()))
                        .isInstanceOf(ExecutionException.class);
                assertThat(broken.statements()).isEqualTo(3);
            } finally {
                dead.close();
            }
        }
    }

    @Test
    void sec01_aNonceTheDatabaseCannotHoldFailsAloneNotTheCallersBesideIt() throws Exception {
        String terminal = terminal();
        try (Blocker blocker = new Blocker()) {
            CompletableFuture<Boolean> held = nonces.firstUse(blocker.terminal, blocker.nonce).subscribeAsCompletionStage();
            CompletableFuture<Boolean> good1 = nonces.firstUse(terminal, nonce()).subscribeAsCompletionStage();
            CompletableFuture<Boolean> bad = nonces.firstUse(terminal, "nonce-with-\0-inside-it").subscribeAsCompletionStage();
            CompletableFuture<Boolean> good2 = nonces.firstUse(terminal, nonce()).subscribeAsCompletionStage();
            blocker.release();
            assertThat(get(held)).isTrue();
            assertThatThrownBy(() -> get(bad)).isInstanceOf(ExecutionException.class);
            assertThat(get(good1)).isTrue();
            assertThat(get(good2)).isTrue();
        }
    }
}
