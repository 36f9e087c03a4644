package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.alert.AlertStore;
import cn.pharmacyclaims.audit.pharmacy.PharmacyStore;
import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.audit.rules.Fixtures;
import cn.pharmacyclaims.audit.rules.RuleState;
import cn.pharmacyclaims.audit.rules.TerminalTrails;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batch intake reads only the stored rows a rule can use (a person's rows near the events, of
 * their items, round or tiny totals; a busy terminal's newest rows as marks, its whole window only at
 * a burst's crossing): on scripts aimed at each of these reads, batched polls give exactly the alerts
 * of one decision per transaction, and a busy terminal and person cost the batch a bounded number of
 * rows, not their windows.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
class WindowReadsTest {
    private static final String ITEM = "XC08CAA0450101";

    @Inject
    Pool pool;
    @Inject
    PharmacyStore pharmacies;
    @Inject
    DecisionBatchProcessor batches;
    @Inject
    DecisionProcessor single;
    @Inject
    RuleState state;
    @Inject
    AlertStore alertStore;
    @Inject
    TerminalTrails trails;
    @Inject
    MeterRegistry meters;

    @Test
    void aud05_aud09_roundTotalsWeeksApartAndTinyOnesAmongOthers_batchedAsOneByOne() {
        String rules = compare(s -> {
            List<SettlementDecision> out = new ArrayList<>();
            String psn = s.ids.psn(1);
            String ph = s.ids.pharmacy(1);
            String t = s.ids.terminal(1);
            for (int d = 20; d >= 0; d--) {
                OffsetDateTime day = s.day.minusDays(d);
                for (int k = 0; k < 3; k++) {
                    out.add(s.settled(psn, ph, t, day.plusHours(9 + 3 * k), "23." + (10 + d + k), "XA02BCA0120102", 3));
                }
                if (d == 20 || d == 9 || d == 0) {
                    out.add(s.settled(psn, ph, t, day.plusHours(10).plusMinutes(30), "100.00", "XN02BEA0230103", 2)); // AUD-05
                }
            }
            for (int k = 0; k < 5; k++) {
                out.add(s.settled(psn, ph, t, s.day.plusHours(16).plusMinutes(10L * k), "4.5" + k, "XR05CBA0310104", 1)); // AUD-09
                out.add(s.settled(psn, ph, t, s.day.plusHours(16).plusMinutes(10L * k + 5), "31.20", "XJ01CAA0040105", 1));
            }
            return out;
        }, 4);
        assertThat(rules).contains("AUD-05", "AUD-09");
    }

    @Test
    void aud02_aud03_rowsNearTheEventAtOtherPharmaciesOrOfTheSameItem_batchedAsOneByOne() {
        String rules = compare(s -> {
            List<SettlementDecision> out = new ArrayList<>();
            // AUD-02 many: eleven settlements at pharmacy 1, then pharmacies 2 and 3 within the hour; the alert lists them all
            String hopper = s.ids.psn(2);
            for (int k = 0; k <= 10; k++) {
                out.add(s.settled(hopper, s.ids.pharmacy(1), s.ids.terminal(1), s.day.plusHours(10).plusMinutes(5L * k), "12.30",
                        "XC10AAA0050106", 2));
            }
            out.add(s.settled(hopper, s.ids.pharmacy(2), s.ids.terminal(2), s.day.plusHours(10).plusMinutes(52), "12.30", ITEM, 2));
            out.add(s.settled(hopper, s.ids.pharmacy(3), s.ids.terminal(3), s.day.plusHours(10).plusMinutes(55), "12.30", ITEM, 2));
            // AUD-02 distant: Guangzhou every 4 minutes, then Shenzhen
            String traveller = s.ids.psn(3);
            for (int k = 0; k < 5; k++) {
                out.add(s.settled(traveller, s.ids.pharmacy(4), s.ids.terminal(4), s.day.plusHours(12).plusMinutes(4L * k), "52.10",
                        "XN02BEA0230103", 5));
            }
            out.add(s.settled(traveller, s.ids.pharmacy(18), s.ids.terminal(18), s.day.plusHours(12).plusMinutes(35), "22.10",
                    "XN02BEA0230103", 5));
            // AUD-03: one item split around purchases of other items (and of the same item elsewhere)
            String splitter = s.ids.psn(4);
            out.add(s.settled(splitter, s.ids.pharmacy(8), s.ids.terminal(8), s.day.plusHours(14), "24.68", ITEM, 5));
            for (int k = 1; k <= 4; k++) {
                out.add(s.settled(splitter, s.ids.pharmacy(8), s.ids.terminal(8), s.day.plusHours(14).plusMinutes(3L * k), "17.70",
                        "XA02BCA0120102", 6));
            }
            out.add(s.settled(splitter, s.ids.pharmacy(9), s.ids.terminal(9), s.day.plusHours(14).plusMinutes(14), "24.68", ITEM, 6));
            out.add(s.settled(splitter, s.ids.pharmacy(8), s.ids.terminal(8), s.day.plusHours(14).plusMinutes(20), "24.68", ITEM, 4));
            return out;
        }, 3);
        assertThat(rules).contains("AUD-02", "AUD-03");
    }

    @Test
    void aud07_busyTerminalWithLateEventsCancellationsAndNewBuckets_batchedAsOneByOne() {
        String rules = compare(s -> {
            Random random = new Random(7);
            String t = s.ids.terminal(10);
            String ph = s.ids.pharmacy(10);
            List<SettlementDecision> out = new ArrayList<>();
            // 19 persons, many times each: no burst, and the newest rows never hold 20 persons
            OffsetDateTime start = s.day.plusHours(15).plusMinutes(51);
            for (int k = 0; k < 120; k++) {
                out.add(s.settled(s.ids.psn(100 + k % 19), ph, t, start.plusSeconds(2L * k), amount(k), ITEM, 1));
            }
            // then 40 persons at random, through two 10-minute buckets; some events arrive late, some are cancelled
            OffsetDateTime busy = start.plusSeconds(240);
            for (int k = 0; k < 500; k++) {
                OffsetDateTime at = busy.plusSeconds(2L * k);
                if (k % 37 == 5) {
                    at = at.minusSeconds(60 + random.nextInt(60)); // older than rows already stored
                }
                out.add(s.settled(s.ids.psn(200 + random.nextInt(40)), ph, t, at, amount(k), ITEM, 1));
                if (k % 23 == 11) {
                    out.add(Fixtures.cancelled(out.get(out.size() - 1 - random.nextInt(3))));
                }
            }
            return out;
        }, 13);
        assertThat(rules).contains("AUD-07");
    }

    @Test
    void aud07_aud02_aBusyTerminalAndPerson_costTheBatchABoundedNumberOfRows() {
        Script s = script();
        String t = s.ids.terminal(11);
        String ph = s.ids.pharmacy(11);
        String regular = s.ids.psn(300);
        List<SettlementDecision> fill = new ArrayList<>();
        OffsetDateTime start = s.day.plusHours(11);
        for (int k = 0; k < 600; k++) {
            // the regular settles every tenth time, 40 others at random: a permanent burst of 600 rows in 10 minutes
            String psn = k % 10 == 0 ? regular : s.ids.psn(301 + (k * 7) % 40);
            fill.add(s.settled(psn, ph, t, start.plusSeconds(k), amount(k), "XC08CAA0450" + (200 + k % 300), 1));
        }
        for (int i = 0; i < fill.size(); i += 100) {
            batches.processBatch(fill.subList(i, i + 100)).await().indefinitely();
        }
        SettlementDecision next = s.settled(regular, ph, t, start.plusSeconds(601), "23.45", "XC08CAA0450999", 1);

        int rows = pool.withTransaction(conn -> state.batch(conn, List.of(next))).await().indefinitely().rowsRead();

        // marks of 1.5 × AUD-07's 20 persons (plus one): not the 600-row window, nor the regular's 60 other settlements
        assertThat(rows).isBetween(20, 31);
        assertThat(count("SELECT count(*) FROM alert WHERE terminal_id = $1 AND rule_id = 'AUD-07'", t)).isEqualTo(1);
    }

    /**
     * AUD-07 marks kept between polls (step 39): while this instance owns every partition of the
     * decisions, a busy terminal's newest marks are leased from memory instead of read; the alerts are
     * still those of one decision per transaction, through late events, a burst crossing at a second
     * terminal, and cancellations of that terminal's settlements in polls that do not settle there.
     */
    @Test
    void aud07_keptTrails_polledAsOneByOne_andTheirMarksNotReadAgain() {
        await().atMost(Duration.ofSeconds(60)).until(trails::keeping); // the intake's loop owns every partition
        double hits = meters.counter("pc.audit.terminal-trails.hits").count();
        String rules = compare(s -> {
            Random random = new Random(17);
            String t1 = s.ids.terminal(12);
            String t2 = s.ids.terminal(13);
            String ph1 = s.ids.pharmacy(12);
            String ph2 = s.ids.pharmacy(13);
            List<SettlementDecision> out = new ArrayList<>();
            List<SettlementDecision> atT2 = new ArrayList<>();
            OffsetDateTime start = s.day.plusHours(14);
            for (int k = 0; k < 400; k++) {
                OffsetDateTime at = start.plusSeconds(3L * k);
                if (k % 29 == 3) {
                    at = at.minusSeconds(30 + random.nextInt(90)); // late: older than rows already kept
                }
                if (k % 4 == 0) { // t2: a few persons, then 25 in its second half (a crossing)
                    String psn = k < 200 ? s.ids.psn(500 + random.nextInt(6)) : s.ids.psn(520 + random.nextInt(25));
                    SettlementDecision d = s.settled(psn, ph2, t2, at, amount(k), ITEM, 1);
                    out.add(d);
                    atT2.add(d);
                } else {
                    out.add(s.settled(s.ids.psn(600 + random.nextInt(40)), ph1, t1, at, amount(k), ITEM, 1));
                }
                if (k % 31 == 17 && atT2.size() > 2) { // a t2 settlement cancelled among t1's
                    out.add(Fixtures.cancelled(atT2.get(atT2.size() - 2)));
                }
                if (k % 43 == 20) {
                    out.add(Fixtures.cancelled(out.get(out.size() - 1 - random.nextInt(3))));
                }
            }
            return out;
        }, 9);
        assertThat(rules).contains("AUD-07");
        assertThat(meters.counter("pc.audit.terminal-trails.hits").count() - hits)
                .as("polls that found their terminals' marks kept").isPositive();

        // and a busy terminal's next poll reads none of its marks (against 20-31 without the trails)
        Script s = script();
        String t = s.ids.terminal(14);
        String ph = s.ids.pharmacy(14);
        List<SettlementDecision> fill = new ArrayList<>();
        OffsetDateTime start = s.day.plusHours(12);
        for (int k = 0; k < 300; k++) {
            fill.add(s.settled(s.ids.psn(700 + (k * 7) % 40), ph, t, start.plusSeconds(k), amount(k), "XC08CAA0450" + (200 + k), 1));
        }
        for (int i = 0; i < fill.size(); i += 100) {
            batches.processBatch(fill.subList(i, i + 100)).await().indefinitely();
        }
        SettlementDecision next = s.settled(s.ids.psn(701), ph, t, start.plusSeconds(301), "23.45", "XC08CAA0450999", 1);
        int kept = pool.withTransaction(conn -> state.batchWithTrails(conn, List.of(next))).await().indefinitely().rowsRead();
        int read = pool.withTransaction(conn -> state.batch(conn, List.of(next))).await().indefinitely().rowsRead();
        assertThat(kept).isZero();
        assertThat(read).as("the same poll without the trails").isBetween(20, 31);
    }

    /**
     * A poll of late events, all older than a kept trail's cut, crossing a burst there: the trail it
     * gives back must not lack the rows between its events and the old cut (persons that only settled
     * there), or the next poll misses the burst they make with it.
     */
    @Test
    void aud07_keptTrails_aLateCrossingBelowTheCut_leavesNoGapInTheTrail() {
        await().atMost(Duration.ofSeconds(60)).until(trails::keeping);
        int[] polls = {50, 50, 20, 1};
        int[] next = {0};
        String rules = compare(s -> {
            String t = s.ids.terminal(15);
            String ph = s.ids.pharmacy(15);
            List<SettlementDecision> out = new ArrayList<>();
            OffsetDateTime noon = s.day.plusHours(12);
            for (int k = 0; k < 100; k++) { // 18 persons, then one person 48 times: the trail keeps only the latter
                String psn = k < 52 ? s.ids.psn(800 + k % 18) : s.ids.psn(850);
                out.add(s.settled(psn, ph, t, noon.plusSeconds(k), amount(k), "XC08CAA0451" + (100 + k), 1));
            }
            for (int j = 0; j < 20; j++) { // late: 20 persons ten minutes before, in one poll (a crossing)
                out.add(s.settled(s.ids.psn(870 + j), ph, t, noon.minusMinutes(10).plusSeconds(2L * j), amount(j), "XC08CAA0452" + (100 + j), 1));
            }
            // the 18 persons, the one and this one make 20 within its ten minutes: a new burst
            out.add(s.settled(s.ids.psn(899), ph, t, noon.plusMinutes(2), "23.45", "XC08CAA0453100", 1));
            return out;
        }, () -> polls[Math.min(next[0]++, polls.length - 1)], "polls of 50, 50, 20 and 1");
        assertThat(rules).contains("AUD-07");
    }

    /**
     * The batch reads the alert keys it will ask about ahead, in one statement
     * ({@link cn.pharmacyclaims.audit.rules.WindowBatch#alertKeysAhead}): every key the rules then ask
     * for must be among them, or the read ahead saves nothing (it never changes what the rules see:
     * a key not foreseen is asked on its own).
     */
    @Test
    void everyAlertKeyTheRulesAskForIsReadAhead() {
        Script s = script();
        Random random = new Random(11);
        List<SettlementDecision> fill = new ArrayList<>();
        OffsetDateTime start = s.day.plusHours(9);
        for (int k = 0; k < 300; k++) { // terminal 10 in a burst (its AUD-07 alert open), terminal 11 quiet
            String t = k % 3 == 0 ? s.ids.terminal(11) : s.ids.terminal(10);
            String ph = k % 3 == 0 ? s.ids.pharmacy(11) : s.ids.pharmacy(10);
            fill.add(s.settled(s.ids.psn(400 + random.nextInt(45)), ph, t, start.plusSeconds(3L * k), amount(k), ITEM, 1));
        }
        for (int i = 0; i < fill.size(); i += 100) {
            batches.processBatch(fill.subList(i, i + 100)).await().indefinitely();
        }
        List<SettlementDecision> next = new ArrayList<>();
        for (int k = 0; k < 60; k++) { // the next poll: the same terminals, a new bucket, a third terminal, a cancellation
            int which = 10 + k % 3;
            next.add(s.settled(s.ids.psn(400 + random.nextInt(45)), s.ids.pharmacy(which), s.ids.terminal(which),
                    start.plusSeconds(900 + 11L * k), amount(k), ITEM, 1));
        }
        next.add(Fixtures.cancelled(next.get(7)));

        Set<String> asked = new LinkedHashSet<>();
        Set<String> ahead = pool.withTransaction(conn -> state.batch(conn, next).flatMap(windows -> {
            Set<String> keys = windows.alertKeysAhead(next);
            return Multi.createFrom().iterable(next)
                    .onItem().transformToUniAndConcatenate(d -> windows.apply(d, key -> {
                        asked.add(key);
                        return alertStore.exists(conn, key);
                    }))
                    .collect().last().replaceWith(keys);
        })).await().indefinitely();

        assertThat(asked).as("the rules asked about alert keys").isNotEmpty();
        assertThat(ahead).containsAll(asked);
        assertThat(count("SELECT count(*) FROM alert WHERE terminal_id = $1 AND rule_id = 'AUD-07'", s.ids.terminal(10)))
                .isPositive();
    }

    // ---- the comparison --------------------------------------------------------------------------

    /**
     * Runs the script twice (ids apart): one decision per transaction, and polls of 1..maxPoll decisions;
     * asserts the same alerts, and answers the rules alerted.
     */
    private String compare(Function<Script, List<SettlementDecision>> scenario, int maxPoll) {
        Random sizes = new Random(maxPoll);
        return compare(scenario, () -> 1 + sizes.nextInt(maxPoll), "polls of 1.." + maxPoll);
    }

    /** {@link #compare}, with the polls' sizes given. */
    private String compare(Function<Script, List<SettlementDecision>> scenario, java.util.function.IntSupplier pollSizes, String polls) {
        Script a = script();
        Script b = script();
        for (SettlementDecision d : scenario.apply(a)) {
            single.process(d).await().indefinitely();
        }
        List<SettlementDecision> polled = scenario.apply(b);
        for (int i = 0; i < polled.size(); ) {
            int n = pollSizes.getAsInt();
            batches.processBatch(polled.subList(i, Math.min(polled.size(), i + n))).await().indefinitely();
            i += n;
        }
        List<String> expected = alerts(a.prefix);
        List<String> actual = alerts(b.prefix);
        assertThat(actual).as("alerts of %s, as one decision per transaction", polls).isEqualTo(expected);
        return expected.stream().map(x -> x.substring(0, x.indexOf('|'))).distinct().sorted().collect(Collectors.joining(","));
    }

    /** Decisions with ids of their own prefix (the comparison replaces it), at the pharmacies of {@link DecisionScript}. */
    private static final class Script {
        final String prefix;
        final DecisionScript ids;
        final OffsetDateTime day = LocalDate.now(Beijing.ZONE).minusDays(1).atStartOfDay(Beijing.ZONE).toOffsetDateTime();
        int n;

        Script(String prefix) {
            this.prefix = prefix;
            this.ids = new DecisionScript(prefix, day, 1);
        }

        SettlementDecision settled(String psn, String pharmacy, String terminal, OffsetDateTime at, String total, String item,
                                   int days) {
            n++;
            BigDecimal t = new BigDecimal(total);
            SettlementResult.Totals totals = new SettlementResult.Totals(t, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                    BigDecimal.ZERO, t, BigDecimal.ZERO);
            return new SettlementDecision(prefix + "E" + n, DecisionEventType.SETTLED, 1, prefix + "S" + n, prefix + "M" + n,
                    SettlementStatus.SETTLED, psn, pharmacy, terminal, "440105", "op-1", at, totals,
                    List.of(Fixtures.line(1, item, "A", "1", total, days)), new BigDecimal("500.00"), List.of(), at, null, at);
        }
    }

    private Script script() {
        Script s = new Script("w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        s.ids.pharmacies().forEach(p -> pharmacies.apply(p).await().indefinitely());
        return s;
    }

    private static String amount(int k) {
        return String.format("%d.%02d", 11 + k % 7, (k * 37) % 100 == 0 ? 1 : (k * 37) % 100);
    }

    /** Each alert of the script's pharmacies with its settlements, ids without the prefix, sorted. */
    private List<String> alerts(String prefix) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery("""
                        SELECT a.rule_id || '|' || a.dedupe_key || '|' || a.severity || '|' || coalesce(a.psn_no, '') || '|'
                               || coalesce(a.terminal_id, '') || '|' || a.amount || '|' || a.evidence || '|' || a.window_start || '|'
                               || a.window_end || '|seen=' || a.seen_count || '|'
                               || (SELECT string_agg(s.ref || ',' || coalesce(s.setl_id, '') || ',' || coalesce(s.msg_id, '') || ','
                                                     || s.occurred_at || ',' || s.amount, ';' ORDER BY s.ref)
                                   FROM alert_settlement s WHERE s.alert_id = a.alert_id)
                        FROM alert a WHERE a.pharmacy_code LIKE $1""")
                .execute(Tuple.of(prefix + "%")).await().indefinitely()
                .forEach(r -> out.add(r.getString(0).replace(prefix, "X")));
        out.sort(null);
        return out;
    }

    private long count(String sql, Object param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().indefinitely().iterator().next().getLong(0);
    }
}
