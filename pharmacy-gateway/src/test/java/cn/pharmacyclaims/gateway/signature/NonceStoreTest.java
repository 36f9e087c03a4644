package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.gateway.support.FakeSettlementQueryApi;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** SEC-01 replay protection in the gateway database, shared by every instance. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(FakeSettlementQueryApi.class)
class NonceStoreTest {
    @Inject
    NonceStore nonces;
    @Inject
    Pool pool;

    private long count(String terminal, String nonce) {
        return pool.preparedQuery("SELECT count(*) AS n FROM seen_nonce WHERE terminal_id = $1 AND nonce = $2")
                .execute(Tuple.of(terminal, nonce)).await().indefinitely().iterator().next().getLong("n");
    }

    @Test
    void sec01_aNonceIsFirstUsedOncePerTerminal() {
        String terminal = "T-" + UUID.randomUUID();
        String nonce = UUID.randomUUID().toString();
        assertThat(nonces.firstUse(terminal, nonce).await().indefinitely()).isTrue();
        assertThat(nonces.firstUse(terminal, nonce).await().indefinitely()).isFalse();
        // the same nonce from another terminal is that terminal's own first use
        assertThat(nonces.firstUse("T-" + UUID.randomUUID(), nonce).await().indefinitely()).isTrue();
    }

    @Test
    void sec01_noncesOlderThanTwiceTheSkewWindowArePurged() {
        String terminal = "T-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO seen_nonce (terminal_id, nonce, seen_at) VALUES "
                        + "($1, 'old-nonce-000000001', now() - interval '11 minutes'), "
                        + "($1, 'recent-nonce-000001', now() - interval '9 minutes')")
                .execute(Tuple.of(terminal)).await().indefinitely();

        nonces.purge().await().indefinitely();

        assertThat(count(terminal, "old-nonce-000000001")).isZero();
        assertThat(count(terminal, "recent-nonce-000001")).isEqualTo(1);
    }
}
