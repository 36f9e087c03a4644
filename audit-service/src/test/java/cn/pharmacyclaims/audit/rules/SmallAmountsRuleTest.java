package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static cn.pharmacyclaims.audit.rules.Fixtures.T0;
import static cn.pharmacyclaims.audit.rules.Fixtures.setl;
import static cn.pharmacyclaims.audit.rules.Fixtures.settled;
import static org.assertj.core.api.Assertions.assertThat;

/** AUD-09: one person, ≥ 5 settlements under 10.00 at one pharmacy within a Beijing day. */
class SmallAmountsRuleTest {
    static final String P = "P44010500001";
    final RuleHarness h = new RuleHarness(new SmallAmountsRule(5, new BigDecimal("10.00")));

    @Test
    void aud09_fiveTinySettlementsSameDay_fires() {
        for (int i = 0; i < 4; i++) {
            assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", T0.plusHours(i), "9.99"))).isEmpty();
        }
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", T0.plusHours(9), "1.50"))).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("AUD-09");
            assertThat(f.severity()).isEqualTo(Severity.SUSPICIOUS);
            assertThat(f.behaviourType()).isEqualTo(BehaviourType.SMALL_AMOUNTS);
            assertThat(f.involved()).hasSize(5);
            assertThat(f.amount()).isEqualByComparingTo("41.46");
        });
    }

    @Test
    void aud09_fourTiny_orTenPointZero_orAcrossMidnight_silent() {
        for (int i = 0; i < 4; i++) {
            h.feed(settled(setl(), "psn-2", P, "T-1", T0.plusMinutes(i), "9.99"));
        }
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", T0.plusMinutes(5), "10.00"))).isEmpty();
        // 23:00 the day before counts for another day
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", T0.minusHours(11), "2.00"))).isEmpty();
        // another pharmacy
        assertThat(h.feed(settled(setl(), "psn-2", "P44010500009", "T-7", T0.plusMinutes(6), "2.00"))).isEmpty();
        assertThat(h.alerts).isEmpty();
    }

    @Test
    void aud09_sixthSameDay_noSecondAlert_nextDay_newAlert() {
        for (int i = 0; i < 6; i++) {
            h.feed(settled(setl(), "psn-3", P, "T-1", T0.plusMinutes(i), "5.00"));
        }
        assertThat(h.alerts).hasSize(1);
        for (int i = 0; i < 5; i++) {
            h.feed(settled(setl(), "psn-3", P, "T-1", T0.plusDays(1).plusMinutes(i), "5.00"));
        }
        assertThat(h.alerts).hasSize(2);
    }

    @Test
    void aud09_cancelledSettlementDoesNotCount() {
        var first = settled(setl(), "psn-4", P, "T-1", T0, "5.00");
        h.feed(first);
        for (int i = 1; i < 4; i++) {
            h.feed(settled(setl(), "psn-4", P, "T-1", T0.plusMinutes(i), "5.00"));
        }
        h.feed(Fixtures.cancelled(first));
        assertThat(h.feed(settled(setl(), "psn-4", P, "T-1", T0.plusMinutes(5), "5.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-4", P, "T-1", T0.plusMinutes(6), "5.00"))).singleElement()
                .satisfies(f -> assertThat(f.involved()).extracting(Involved::setlId).doesNotContain(first.setlId()));
    }
}
