package cn.pharmacyclaims.audit.alert;

import cn.pharmacyclaims.audit.rules.Finding;
import cn.pharmacyclaims.audit.rules.Involved;
import cn.pharmacyclaims.common.events.ViolationAlert;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst's alert gains every further settlement of its pattern (AUD-07; one alert per pattern and window, DOMAIN.md §5):
 * the intake updates the same alert rows in every poll. Those updates must stay heap-only (HOT), so that the alert
 * table and its six indexes do not grow with every append (docs/performance.md, tuning step 22; migration V5).
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
class AlertAppendTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Pool pool;
    @Inject
    AlertStore alerts;

    @Test
    void aud07_appendsToAStoredAlert_moveItsAmountAndWindow_inPlace() {
        String terminal = "HOT-T-" + UUID.randomUUID();
        String key = "AUD-07|" + terminal + "|bucket";
        OffsetDateTime t0 = OffsetDateTime.of(2026, 11, 20, 10, 0, 0, 0, ZoneOffset.ofHours(8));
        int appends = 40;

        pool.withTransaction(tx -> alerts.recordAll(tx, List.of(detected(key, terminal, t0, 0)))).await().atMost(WAIT);
        for (int i = 1; i <= appends; i++) {
            int n = i;
            // one poll's transaction appends once to the alert. The session's counters not yet reported (this
            // transaction's, and earlier ones' on the same connection) count every update and the heap-only ones:
            // they are equal as long as no update of the alert was a new row version elsewhere
            Row r = pool.withTransaction(tx -> alerts.recordAll(tx, List.of(detected(key, terminal, t0, n)))
                    .flatMap(x -> tx.query("SELECT pg_stat_get_xact_tuples_updated('alert'::regclass) AS upd,"
                            + " pg_stat_get_xact_tuples_hot_updated('alert'::regclass) AS hot").execute())
                    .map(rs -> rs.iterator().next())).await().atMost(WAIT);
            assertThat(r.getLong("upd")).as("updates of the alert after append %d", n).isPositive();
            assertThat(r.getLong("hot")).as("of which heap-only, after append %d", n).isEqualTo(r.getLong("upd"));
        }

        Row stored = pool.preparedQuery("SELECT amount, window_start, window_end, seen_count FROM alert WHERE dedupe_key = $1")
                .execute(Tuple.of(key)).await().atMost(WAIT).iterator().next();
        // 1.00 + 2.00 + ... + 41.00: every appended settlement counted once
        assertThat(stored.getBigDecimal("amount")).isEqualByComparingTo(BigDecimal.valueOf((appends + 1) * (appends + 2) / 2));
        assertThat(stored.getOffsetDateTime("window_start").toInstant()).isEqualTo(t0.toInstant());
        assertThat(stored.getOffsetDateTime("window_end").toInstant()).isEqualTo(t0.plusSeconds(appends).toInstant());
        assertThat(stored.getInteger("seen_count")).isEqualTo(appends + 1);
    }

    @Test
    void alertsByWindow_stillFoundWithTheWindowIndexAsBrin() {
        String terminal = "HOT-T-" + UUID.randomUUID();
        String key = "AUD-07|" + terminal + "|list";
        OffsetDateTime t0 = OffsetDateTime.of(2026, 11, 21, 9, 0, 0, 0, ZoneOffset.ofHours(8));
        pool.withTransaction(tx -> alerts.recordAll(tx, List.of(detected(key, terminal, t0, 0)))
                .flatMap(x -> alerts.recordAll(tx, List.of(detected(key, terminal, t0, 600))))).await().atMost(WAIT);

        List<ViolationAlert> overlapping = alerts.list(new AlertQuery(null, "AUD-07", t0.plusMinutes(5), t0.plusMinutes(6), 500))
                .await().atMost(WAIT);
        assertThat(overlapping).extracting(a -> a.subject().terminalId()).contains(terminal);
        List<ViolationAlert> later = alerts.list(new AlertQuery(null, "AUD-07", t0.plusMinutes(11), null, 500))
                .await().atMost(WAIT);
        assertThat(later).extracting(a -> a.subject().terminalId()).doesNotContain(terminal);
    }

    /** A burst finding that names the n-th settlement (amount n + 1, n seconds after t0). */
    private static AlertStore.Detected detected(String key, String terminal, OffsetDateTime t0, int n) {
        List<Involved> involved = new ArrayList<>();
        involved.add(new Involved("S-" + terminal + "-" + n, "M-" + terminal + "-" + n, "P-HOT", t0.plusSeconds(n),
                BigDecimal.valueOf(n + 1)));
        Finding f = new Finding("AUD-07", "terminal burst", Severity.HIGHLY_SUSPICIOUS, BehaviourType.GHOST_SWIPES,
                new Subject("P-HOT", null, terminal, null), "440100", key, involved, "burst at " + terminal);
        return new AlertStore.Detected(f, t0.plusSeconds(n));
    }
}
