package cn.pharmacyclaims.platform.db;

import cn.pharmacyclaims.testinfra.RealInfra;
import cn.pharmacyclaims.testinfra.RealPostgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** The database tests of this package: a fresh database on the real PostgreSQL, and pools of one connection on it. */
final class OneConnectionPools {
    private final Vertx vertx;
    private final PgConnectOptions options;

    OneConnectionPools(Vertx vertx, String databasePrefix) {
        RealPostgres pg = RealInfra.postgres();
        String db = RealInfra.freshDatabase(databasePrefix);
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(pg.reactiveUrl(db)).setUser(pg.user()).setPassword(pg.password());
    }

    /** A new pool of one connection: every use of it is on the same connection. */
    Pool pool() {
        return PgPool.pool(vertx, options, new PoolOptions().setMaxSize(1));
    }
}
