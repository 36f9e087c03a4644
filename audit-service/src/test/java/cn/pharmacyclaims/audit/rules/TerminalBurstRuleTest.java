package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static cn.pharmacyclaims.audit.rules.Fixtures.T0;
import static cn.pharmacyclaims.audit.rules.Fixtures.setl;
import static cn.pharmacyclaims.audit.rules.Fixtures.settled;
import static org.assertj.core.api.Assertions.assertThat;

/** AUD-07: one terminal, ≥ 20 distinct persons within 10 min. */
class TerminalBurstRuleTest {
    static final String P = "P44010500001";
    final RuleHarness h = new RuleHarness(new TerminalBurstRule(20, Duration.ofMinutes(10)));

    private List<Finding> burst(String terminal, String personPrefix, OffsetDateTime start, int persons, Duration step) {
        List<Finding> raised = new java.util.ArrayList<>();
        for (int i = 0; i < persons; i++) {
            raised.addAll(h.feed(settled(setl(), personPrefix + i, P, terminal, start.plus(step.multipliedBy(i)), "12.00")));
        }
        return raised;
    }

    @Test
    void aud07_twentyPersonsWithinTenMinutes_fires() {
        List<Finding> raised = burst("T-1", "a", T0, 20, Duration.ofSeconds(30));
        assertThat(raised).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("AUD-07");
            assertThat(f.severity()).isEqualTo(Severity.HIGHLY_SUSPICIOUS);
            assertThat(f.behaviourType()).isEqualTo(BehaviourType.GHOST_SWIPES);
            assertThat(f.involved()).hasSize(20);
            assertThat(f.amount()).isEqualByComparingTo("240.00");
            assertThat(f.subject().terminalId()).isEqualTo("T-1");
            assertThat(f.subject().psnNo()).isNull();
            assertThat(f.subject().pharmacyCode()).isEqualTo(P);
        });
    }

    @Test
    void aud07_nineteenPersons_orTwentyOverElevenMinutes_silent() {
        assertThat(burst("T-2", "b", T0, 19, Duration.ofSeconds(30))).isEmpty();
        // 20 persons, 34.7 s apart: the 1st and the 20th are 11 minutes apart
        assertThat(burst("T-3", "c", T0, 20, Duration.ofMillis(34_737))).isEmpty();
    }

    @Test
    void aud07_onePersonManyTimes_silent() {
        for (int i = 0; i < 25; i++) {
            assertThat(h.feed(settled(setl(), "same", P, "T-4", T0.plusSeconds(10L * i), "1.00"))).isEmpty();
        }
    }

    @Test
    void aud07_longerBurstInSameWindow_oneAlert_laterBurst_newAlert() {
        assertThat(burst("T-5", "d", T0, 30, Duration.ofSeconds(10))).hasSize(1);
        assertThat(h.seen).hasSize(11); // seen again by persons 21..30, not raised again
        // AUD-07: the crossing names its window once, each later burst settlement only itself
        assertThat(h.seen.get(0).involved()).hasSize(20);
        assertThat(h.seen.subList(1, 11)).allSatisfy(f -> {
            assertThat(f.dedupeKey()).isEqualTo(h.seen.get(0).dedupeKey());
            assertThat(f.involved()).singleElement();
        });
        assertThat(burst("T-5", "e", T0.plusMinutes(40), 20, Duration.ofSeconds(10))).hasSize(1);
        assertThat(h.alerts).hasSize(2);
    }

    @Test
    void aud07_permanentBurst_eachLaterSettlementAddsOnlyItself() {
        // 300 settlements by 40 persons within 10 minutes (the trailing windows' starts share one bucket)
        List<Finding> seen = new java.util.ArrayList<>();
        List<String> setlIds = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            var d = settled(setl(), "g" + (i % 40), P, "T-6", T0.plusSeconds(2L * i), "1.00");
            setlIds.add(d.setlId());
            h.feed(d);
        }
        assertThat(h.alerts).singleElement().satisfies(f -> assertThat(f.involved()).hasSize(20));
        List<String> named = h.seen.stream().flatMap(f -> f.involved().stream()).map(Involved::setlId).toList();
        assertThat(named).containsExactlyElementsOf(setlIds); // each once, in order
        assertThat(h.seen.stream().map(Finding::dedupeKey).distinct()).hasSize(1);
    }
    @Test
    void aud07_burstGoingOnPastItsBucket_nextAlertsNameOnlyTheirOwnBucket_eachSettlementOnce() {
        // a settlement every 10 s by 40 persons from 10:00:05 to 10:26:45: the trailing windows start
        // in the 09:50 bucket until 10:10, in the 10:00 one until 10:20, then in the 10:10 one
        List<String> setlIds = new java.util.ArrayList<>();
        for (int i = 0; i < 161; i++) {
            var d = settled(setl(), "k" + (i % 40), P, "T-7", T0.plusSeconds(5 + 10L * i), "1.00");
            setlIds.add(d.setlId());
            h.feed(d);
        }
        assertThat(h.alerts).hasSize(3);
        // the first names its crossing's whole window; the next two start at their own bucket
        assertThat(h.alerts.get(0).involved()).hasSize(20);
        assertThat(h.alerts.get(1).involved()).singleElement()
                .satisfies(x -> assertThat(x.setlId()).isEqualTo(setlIds.get(60))); // 10:10:05
        assertThat(h.alerts.get(2).involved()).singleElement()
                .satisfies(x -> assertThat(x.setlId()).isEqualTo(setlIds.get(120))); // 10:20:05
        assertThat(h.alerts.get(1).evidence()).isEqualTo("terminal T-7 settled for at least 20 distinct persons within 10 min"
                + " up to 2026-11-23 10:10: the burst of the alert of the 10 min before goes on");
        assertThat(h.alerts.get(0).evidence()).doesNotContain("goes on");
        // every settlement in exactly one alert (before step 40 the 10:00 bucket's alert named the 60 before it again)
        List<String> named = h.seen.stream().flatMap(f -> f.involved().stream()).map(Involved::setlId).toList();
        assertThat(named).containsExactlyInAnyOrderElementsOf(setlIds);
    }

    @Test
    void aud07_newBurstAfterAQuietBucket_namesItsWholeWindowAgain() {
        assertThat(burst("T-8", "m", T0, 20, Duration.ofSeconds(10))).singleElement()
                .satisfies(f -> assertThat(f.involved()).hasSize(20));
        // 10:20: no settlement since 10:03:10, so the 10:10 bucket had no alert; the 10:00 one did not either
        List<Finding> later = burst("T-8", "n", T0.plusMinutes(20), 20, Duration.ofSeconds(10));
        assertThat(later).singleElement().satisfies(f -> {
            assertThat(f.involved()).hasSize(20);
            assertThat(f.evidence()).doesNotContain("goes on");
        });
    }
    @Test
    void aud07_newBurstAfterALullLateInTheBucketWithAnAlert_namesItsWholeWindow() {
        // 20 persons from 10:00:35 every 30 s: the crossing at 10:10:05 opens the 10:00 bucket's alert
        assertThat(burst("T-9", "p", T0.plusSeconds(35), 20, Duration.ofSeconds(30))).singleElement()
                .satisfies(f -> assertThat(f.dedupeKey()).endsWith("10:00+08:00"));
        // a lull, then 18 new persons from 10:19:00 every 3 s: at most 19 persons in any of their windows
        assertThat(burst("T-9", "q", T0.plusMinutes(19), 18, Duration.ofSeconds(3))).isEmpty();
        assertThat(h.seen).hasSize(1);
        // a 20th at 10:20:05 crosses in the 10:10 bucket: a new burst (the window before the turn held 19
        // persons), so its alert names its whole window, not only itself as if the old burst went on
        List<Finding> later = burst("T-9", "r", T0.plusMinutes(20).plusSeconds(5), 1, Duration.ofSeconds(1));
        assertThat(later).singleElement().satisfies(f -> {
            assertThat(f.involved()).hasSize(20);
            assertThat(f.evidence()).doesNotContain("goes on");
        });
    }
}
