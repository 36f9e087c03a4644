package cn.pharmacyclaims.platform.db;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ColumnArrays} on the real PostgreSQL: every type the services send, nulls included, rows in order. */
class ColumnArraysTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        pool = new OneConnectionPools(vertx, "columns").pool();
        pool.query("CREATE TABLE r (id bigserial PRIMARY KEY, name text, amount numeric(14, 2), day date, at timestamptz,"
                + " n int, flag boolean, doc jsonb)").execute().await().atMost(WAIT);
    }

    @AfterAll
    static void stop() {
        pool.close().await().atMost(WAIT);
        vertx.close().await().atMost(WAIT);
    }

    @Test
    void insertsEveryRowInOneStatementInOrderWithNulls() {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 24, 10, 15, 0, 120_000_000, ZoneOffset.ofHours(8));
        ColumnArrays rows = ColumnArrays.of(String.class, BigDecimal.class, LocalDate.class, OffsetDateTime.class,
                        Integer.class, Boolean.class, String.class)
                .add("first", new BigDecimal("12.30"), LocalDate.of(2026, 11, 24), at, 7, true, "{\"I10\": \"70.00\"}")
                .add("second", null, null, null, null, null, null)
                .add("third", new BigDecimal("-0.01"), LocalDate.of(2026, 1, 1), at.plusDays(1), 0, false, "{}");
        assertThat(rows.size()).isEqualTo(3);

        pool.preparedQuery("INSERT INTO r (name, amount, day, at, n, flag, doc) SELECT a, b, c, d, e, f, g::jsonb"
                        + " FROM unnest($1::text[], $2::numeric[], $3::date[], $4::timestamptz[], $5::int[], $6::boolean[], $7::text[])"
                        + " AS u(a, b, c, d, e, f, g)")
                .execute(rows.tuple()).await().atMost(WAIT);

        List<Row> stored = new ArrayList<>();
        pool.query("SELECT * FROM r ORDER BY id").execute().await().atMost(WAIT).forEach(stored::add);
        assertThat(stored).extracting(r -> r.getString("name")).containsExactly("first", "second", "third");
        assertThat(stored.get(0).getBigDecimal("amount")).isEqualByComparingTo("12.30");
        assertThat(stored.get(0).getLocalDate("day")).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(stored.get(0).getOffsetDateTime("at").toInstant()).isEqualTo(at.toInstant());
        assertThat(stored.get(0).getInteger("n")).isEqualTo(7);
        assertThat(stored.get(0).getBoolean("flag")).isTrue();
        assertThat(stored.get(0).getJsonObject("doc").getString("I10")).isEqualTo("70.00");
        Row nulls = stored.get(1);
        for (String column : List.of("amount", "day", "at", "n", "flag", "doc")) {
            assertThat(nulls.getValue(column)).as(column).isNull();
        }
        assertThat(stored.get(2).getBigDecimal("amount")).isEqualByComparingTo("-0.01");
    }

    @Test
    void refusesARowThatDoesNotFitTheColumns() {
        ColumnArrays rows = ColumnArrays.of(String.class, BigDecimal.class);
        assertThatThrownBy(() -> rows.add("only one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 values for 2 columns");
        assertThatThrownBy(() -> rows.add("a", 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 2 is BigDecimal, not Integer");
        assertThat(rows.isEmpty()).isTrue();
    }
}
