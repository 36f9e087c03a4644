package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;

import static cn.pharmacyclaims.audit.rules.Fixtures.T0;
import static cn.pharmacyclaims.audit.rules.Fixtures.setl;
import static cn.pharmacyclaims.audit.rules.Fixtures.settled;
import static org.assertj.core.api.Assertions.assertThat;

/** AUD-05: ≥ 3 round totals for one person at one pharmacy within 30 days; December account drain. */
class CashOutRuleTest {
    static final String P = "P44010500001";
    final RuleHarness h = new RuleHarness(new CashOutRule(3, Duration.ofDays(30), new BigDecimal("50.00"),
            new BigDecimal("0.90"), new BigDecimal("500.00")));

    @Test
    void aud05_threeRoundTotalsWithin30Days_fires() {
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", T0, "100.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", T0.plusDays(10), "50.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", T0.plusDays(29), "200.00"))).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("AUD-05");
            assertThat(f.ruleName()).isEqualTo(CashOutRule.NAME_ROUND);
            assertThat(f.severity()).isEqualTo(Severity.SUSPICIOUS);
            assertThat(f.behaviourType()).isEqualTo(BehaviourType.CASH_OUT);
            assertThat(f.amount()).isEqualByComparingTo("350.00");
            assertThat(f.involved()).hasSize(3);
        });
    }

    @Test
    void aud05_twoRound_orNotRound_orOver30Days_orOtherPharmacy_silent() {
        h.feed(settled(setl(), "psn-2", P, "T-1", T0, "100.00"));
        h.feed(settled(setl(), "psn-2", P, "T-1", T0.plusDays(1), "150.00"));
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", T0.plusDays(2), "149.99"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-2", "P44010500002", "T-2", T0.plusDays(3), "50.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", T0.plusDays(31), "50.00"))).isEmpty();
        assertThat(h.alerts).isEmpty();
    }

    @Test
    void aud05_fourthInSameWindow_noSecondAlert_laterWindow_newAlert() {
        for (int i = 0; i < 4; i++) {
            h.feed(settled(setl(), "psn-3", P, "T-1", T0.plusDays(i), "50.00"));
        }
        assertThat(h.alerts).hasSize(1);
        for (int i = 0; i < 3; i++) {
            h.feed(settled(setl(), "psn-3", P, "T-1", T0.plusDays(90 + i), "50.00"));
        }
        assertThat(h.alerts).hasSize(2);
    }

    @Test
    void aud05_decemberPurchaseDrainingTheAccount_fires() {
        OffsetDateTime dec = OffsetDateTime.parse("2026-12-20T15:00:00+08:00");
        // balance before 600.00, account pays 540.00 = 90%
        assertThat(h.feed(settled(setl(), "psn-4", P, "T-1", dec, "543.21", "540.00", "60.00"))).singleElement()
                .satisfies(f -> {
                    assertThat(f.ruleName()).isEqualTo(CashOutRule.NAME_DRAIN);
                    assertThat(f.amount()).isEqualByComparingTo("543.21");
                    assertThat(f.evidence()).contains("600.00").contains("90%");
                });
    }

    @Test
    void aud05_drainJustBelowThresholds_orNotDecember_silent() {
        OffsetDateTime dec = OffsetDateTime.parse("2026-12-20T15:00:00+08:00");
        assertThat(h.feed(settled(setl(), "psn-5", P, "T-1", dec, "539.99", "539.99", "60.01"))).isEmpty(); // 89.99 %
        assertThat(h.feed(settled(setl(), "psn-5", P, "T-1", dec, "499.00", "499.00", "0.00"))).isEmpty();  // balance 499
        assertThat(h.feed(settled(setl(), "psn-5", P, "T-1", T0, "540.00", "540.00", "60.00")
        )).isEmpty(); // November, not round... 540 is not a multiple of 50
    }
}
