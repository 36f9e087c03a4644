package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import static cn.pharmacyclaims.audit.rules.Fixtures.T0;
import static cn.pharmacyclaims.audit.rules.Fixtures.setl;
import static cn.pharmacyclaims.audit.rules.Fixtures.settled;
import static org.assertj.core.api.Assertions.assertThat;

/** AUD-08: the day's count > 3 × trailing 28-day median, and at least 50. */
class VolumeSpikeRuleTest {
    static final String P = "P44010500001";
    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    final VolumeSpikeRule rule = new VolumeSpikeRule(new BigDecimal("3"), 28, 50, 7);

    private static Map<LocalDate, Integer> history(int perDay, int days) {
        Map<LocalDate, Integer> m = new HashMap<>();
        for (int i = 1; i <= days; i++) {
            m.put(TODAY.minusDays(i), perDay);
        }
        return m;
    }

    @Test
    void aud08_spikeAboveThreeTimesMedian_fires() {
        Map<LocalDate, Integer> counts = history(20, 28);
        counts.put(TODAY, 61);
        assertThat(rule.spiking(counts, TODAY)).isTrue();
        counts.put(TODAY, 60);
        assertThat(rule.spiking(counts, TODAY)).isFalse();
    }

    @Test
    void aud08_belowTheMinimumCount_silent() {
        Map<LocalDate, Integer> counts = history(5, 28);
        counts.put(TODAY, 49);
        assertThat(rule.spiking(counts, TODAY)).isFalse();
        counts.put(TODAY, 50);
        assertThat(rule.spiking(counts, TODAY)).isTrue();
    }

    @Test
    void aud08_tooLittleHistory_silent_daysWithoutSalesCountAsZero() {
        Map<LocalDate, Integer> counts = history(20, 6);
        counts.put(TODAY, 500);
        assertThat(rule.spiking(counts, TODAY)).isFalse();
        // seen 28 days ago once, nothing since: median 0
        Map<LocalDate, Integer> sparse = new HashMap<>(Map.of(TODAY.minusDays(28), 100, TODAY, 50));
        assertThat(rule.median(sparse, TODAY)).isEqualByComparingTo("0");
        assertThat(rule.spiking(sparse, TODAY)).isTrue();
    }

    @Test
    void aud08_oneAlertPerPharmacyAndDay() {
        RuleHarness h = new RuleHarness(rule);
        for (int i = 1; i <= 10; i++) {
            h.dailyCounts.put(TODAY.minusDays(i), 10);
        }
        for (int i = 0; i < 55; i++) {
            h.feed(settled(setl(), "psn-" + i, P, "T-1", T0.plusMinutes(i), "10.00"));
        }
        assertThat(h.alerts).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("AUD-08");
            assertThat(f.behaviourType()).isEqualTo(BehaviourType.SETTLING_FOR_OTHERS);
            assertThat(f.involved()).hasSize(50);
            assertThat(f.amount()).isEqualByComparingTo("500.00");
        });
        assertThat(h.seen).hasSize(6);
    }
}
