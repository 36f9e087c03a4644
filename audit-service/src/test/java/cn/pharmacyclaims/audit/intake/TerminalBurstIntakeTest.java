package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.Ids;
import cn.pharmacyclaims.audit.rules.Fixtures;
import cn.pharmacyclaims.audit.rules.SettledFact;
import cn.pharmacyclaims.common.events.SettlementDecision;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AUD-07 against the real database, batched and one decision per transaction: a burst's alert names
 * the window of its 20-person crossing and then each later burst settlement once (never the window
 * again), its amount the sum of them; below 20 distinct persons nothing is raised.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
class TerminalBurstIntakeTest {
    @Inject
    Pool pool;
    @Inject
    DecisionBatchProcessor batches;
    @Inject
    DecisionProcessor single;

    @Test
    void aud07_300SettlementsBy40Persons_batched_oneAlertWithEachSettlementOnce() {
        assertOneAlertOfAll(burst(300, 40), true);
    }

    @Test
    void aud07_300SettlementsBy40Persons_oneByOne_oneAlertWithEachSettlementOnce() {
        assertOneAlertOfAll(burst(300, 40), false);
    }

    @Test
    void aud07_20PersonsThenOnePersonManyTimes_laterSettlementsStillInTheBurst() {
        // the newest rows of the window hold one person only: the window's older rows decide (batch: read back)
        for (boolean batched : new boolean[]{true, false}) {
            String terminal = Ids.terminal();
            String pharmacy = Ids.pharmacy();
            OffsetDateTime start = Ids.yesterdayAt(16, 0);
            String repeat = Ids.psn();
            List<SettlementDecision> ds = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                String psn = i < 20 ? Ids.psn() : repeat;
                ds.add(Fixtures.settled(Fixtures.setl(), psn, pharmacy, terminal, start.plusSeconds(3L * i), amount(i)));
            }
            assertOneAlertOfAll(ds, batched);
        }
    }

    @Test
    void aud07_burstPastItsBuckets_batched_eachSettlementInOneAlert() {
        assertEachSettlementInOneAlert(true);
    }

    @Test
    void aud07_burstPastItsBuckets_oneByOne_eachSettlementInOneAlert() {
        assertEachSettlementInOneAlert(false);
    }

    /**
     * AUD-07 (step 40): a settlement every 4 s by 40 persons from 16:00:02 to 16:26:38, so the
     * trailing windows start in three buckets (15:50, 16:00, 16:10): three alerts, the second and
     * third starting at their own bucket, each settlement in exactly one, amounts to the cent.
     */
    private void assertEachSettlementInOneAlert(boolean batched) {
        String terminal = Ids.terminal();
        String pharmacy = Ids.pharmacy();
        List<String> psns = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            psns.add(Ids.psn());
        }
        OffsetDateTime start = Ids.yesterdayAt(16, 0).plusSeconds(2);
        List<SettlementDecision> ds = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ds.add(Fixtures.settled(Fixtures.setl(), psns.get(i % 40), pharmacy, terminal, start.plusSeconds(4L * i), amount(i)));
        }
        process(ds, batched);
        List<Row> alerts = rows("SELECT alert_id, amount, window_start FROM alert WHERE terminal_id = $1 AND rule_id = 'AUD-07'"
                + " ORDER BY window_start", terminal);
        assertThat(alerts).as("AUD-07 alerts" + (batched ? " batched" : " one by one")).hasSize(3);
        List<String> named = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Row a : alerts) {
            rows("SELECT setl_id FROM alert_settlement WHERE alert_id = $1", a.getUUID("alert_id")).forEach(r -> named.add(r.getString("setl_id")));
            total = total.add(a.getBigDecimal("amount"));
        }
        assertThat(named).containsExactlyInAnyOrderElementsOf(ds.stream().map(SettlementDecision::setlId).toList());
        assertThat(total).isEqualByComparingTo(ds.stream().map(d -> SettledFact.of(d).total()).reduce(BigDecimal.ZERO, BigDecimal::add));
        // the second alert starts with the first settlement of its bucket (16:10:02), not 10 minutes before it
        assertThat(alerts.get(1).getOffsetDateTime("window_start").toInstant()).isEqualTo(start.plusMinutes(10).toInstant());
        assertThat(alerts.get(2).getOffsetDateTime("window_start").toInstant()).isEqualTo(start.plusMinutes(20).toInstant());
    }

    @Test
    void aud07_newBurstAfterALull_namesItsWholeWindow_batchedAndOneByOne() {
        for (boolean batched : new boolean[]{true, false}) {
            String terminal = Ids.terminal();
            String pharmacy = Ids.pharmacy();
            OffsetDateTime t0 = Ids.yesterdayAt(16, 0);
            List<SettlementDecision> ds = new ArrayList<>();
            // 20 persons from 16:00:35 every 30 s (the 16:00 bucket's alert at 16:10:05), a lull, 18 more
            // from 16:19:00 every 3 s (no burst), and a 20th at 16:20:05: a new burst in the 16:10 bucket
            for (int i = 0; i < 20; i++) {
                ds.add(Fixtures.settled(Fixtures.setl(), Ids.psn(), pharmacy, terminal, t0.plusSeconds(35 + 30L * i), amount(i)));
            }
            for (int i = 0; i < 18; i++) {
                ds.add(Fixtures.settled(Fixtures.setl(), Ids.psn(), pharmacy, terminal, t0.plusMinutes(19).plusSeconds(3L * i), amount(i)));
            }
            ds.add(Fixtures.settled(Fixtures.setl(), Ids.psn(), pharmacy, terminal, t0.plusMinutes(20).plusSeconds(5), amount(7)));
            process(ds, batched);
            List<Row> alerts = rows("SELECT alert_id, evidence FROM alert WHERE terminal_id = $1 AND rule_id = 'AUD-07' ORDER BY window_start",
                    terminal);
            assertThat(alerts).as("AUD-07 alerts" + (batched ? " batched" : " one by one")).hasSize(2);
            assertThat(count("SELECT count(*) FROM alert_settlement WHERE alert_id = $1", alerts.get(1).getUUID("alert_id")))
                    .as("the new burst names its window: the 16:10:05 settlement, the 18 and the 20th").isEqualTo(20);
            assertThat(alerts.get(1).getString("evidence")).doesNotContain("goes on");
        }
    }

    @Test
    void aud07_19DistinctPersons_raiseNothing() {
        String terminal = Ids.terminal();
        String pharmacy = Ids.pharmacy();
        OffsetDateTime start = Ids.yesterdayAt(16, 0);
        List<String> persons = new ArrayList<>();
        for (int p = 0; p < 19; p++) {
            persons.add(Ids.psn());
        }
        List<SettlementDecision> ds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ds.add(Fixtures.settled(Fixtures.setl(), persons.get(i % 19), pharmacy, terminal, start.plusSeconds(2L * i), amount(i)));
        }
        process(ds.subList(0, 100), true);
        process(ds.subList(100, 200), false);
        assertThat(count("SELECT count(*) FROM recent_settlement WHERE terminal_id = $1", terminal)).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM alert WHERE terminal_id = $1 AND rule_id = 'AUD-07'", terminal)).isZero();
    }

    /** n settlements at one new terminal by the given number of persons, all within 10 minutes. */
    private static List<SettlementDecision> burst(int n, int persons) {
        String terminal = Ids.terminal();
        String pharmacy = Ids.pharmacy();
        List<String> psns = new ArrayList<>();
        for (int p = 0; p < persons; p++) {
            psns.add(Ids.psn());
        }
        // 16:00:00 to 16:09:28: every trailing window starts in the 15:50 bucket
        OffsetDateTime start = Ids.yesterdayAt(16, 0);
        List<SettlementDecision> ds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ds.add(Fixtures.settled(Fixtures.setl(), psns.get(i % persons), pharmacy, terminal, start.plusNanos(1_900_000_000L * i),
                    amount(i)));
        }
        return ds;
    }

    private static String amount(int i) {
        return String.format("%d.%02d", 5 + i % 7, (i * 37) % 100);
    }

    private void process(List<SettlementDecision> ds, boolean batched) {
        if (batched) {
            for (int i = 0; i < ds.size(); i += 37) {
                batches.processBatch(ds.subList(i, Math.min(ds.size(), i + 37))).await().indefinitely();
            }
        } else {
            for (SettlementDecision d : ds) {
                single.process(d).await().indefinitely();
            }
        }
    }

    private void assertOneAlertOfAll(List<SettlementDecision> ds, boolean batched) {
        process(ds, batched);
        String terminal = ds.get(0).terminalId();
        List<Row> alerts = rows("SELECT alert_id, amount, rule_id FROM alert WHERE terminal_id = $1 AND rule_id = 'AUD-07'", terminal);
        assertThat(alerts).as("AUD-07 alerts at " + terminal + (batched ? " batched" : " one by one")).hasSize(1);
        assertThat(alerts.get(0).getString("rule_id")).isEqualTo("AUD-07");
        List<String> named = new ArrayList<>();
        rows("SELECT setl_id FROM alert_settlement WHERE alert_id = $1", alerts.get(0).getUUID("alert_id"))
                .forEach(r -> named.add(r.getString("setl_id")));
        assertThat(named).containsExactlyInAnyOrderElementsOf(ds.stream().map(SettlementDecision::setlId).toList());
        BigDecimal sum = ds.stream().map(d -> SettledFact.of(d).total()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(alerts.get(0).getBigDecimal("amount")).isEqualByComparingTo(sum);
    }

    private List<Row> rows(String sql, Object param) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely().forEach(out::add);
        return out;
    }

    private long count(String sql, Object param) {
        return rows(sql, param).get(0).getLong(0);
    }
}
