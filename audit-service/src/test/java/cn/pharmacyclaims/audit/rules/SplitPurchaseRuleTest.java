package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.SettlementResult.Benefit;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static cn.pharmacyclaims.audit.rules.Fixtures.T0;
import static cn.pharmacyclaims.audit.rules.Fixtures.line;
import static cn.pharmacyclaims.audit.rules.Fixtures.setl;
import static cn.pharmacyclaims.audit.rules.Fixtures.settled;
import static org.assertj.core.api.Assertions.assertThat;

/** AUD-03: same person and pharmacy, ≥ 2 settlements within 30 min whose days of one item exceed CLM-07. */
class SplitPurchaseRuleTest {
    static final String P = "P44010500001";
    static final String ITEM = "XC08CAA0450101";
    final RuleHarness h = new RuleHarness(new SplitPurchaseRule(2, Duration.ofMinutes(30), 7, 30));

    @Test
    void aud03_twoPurchasesOfSevenDaysWithin30Min_fires() {
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", T0, "24.68", line(1, ITEM, "A", "2", "12.34", 7)))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", T0.plusMinutes(29), "12.34", line(1, ITEM, "A", "1", "12.34", 1))))
                .singleElement().satisfies(f -> {
                    assertThat(f.ruleId()).isEqualTo("AUD-03");
                    assertThat(f.severity()).isEqualTo(Severity.HIGHLY_SUSPICIOUS);
                    assertThat(f.behaviourType()).isEqualTo(BehaviourType.SPLITTING);
                    assertThat(f.amount()).isEqualByComparingTo("37.02");
                    assertThat(f.evidence()).contains(ITEM).contains("8 days").contains("limit 7");
                });
    }

    @Test
    void aud03_atTheLimit_orOtherItem_orTooFarApart_orOtherPharmacy_silent() {
        h.feed(settled(setl(), "psn-2", P, "T-1", T0, "10.00", line(1, ITEM, "A", "1", "10.00", 3)));
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", T0.plusMinutes(5), "10.00", line(1, ITEM, "A", "1", "10.00", 4))))
                .isEmpty(); // 7 days: at the limit
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", T0.plusMinutes(6), "10.00", line(1, "OTHER", "A", "1", "10.00", 7))))
                .isEmpty();
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", T0.plusMinutes(36), "10.00", line(1, ITEM, "A", "1", "10.00", 7))))
                .isEmpty(); // 31 minutes after the 4-day purchase
        assertThat(h.feed(settled(setl(), "psn-2", "P44010500002", "T-2", T0.plusMinutes(37), "10.00",
                line(1, ITEM, "A", "1", "10.00", 7)))).isEmpty();
    }

    @Test
    void aud03_chronicLinesUseTheLongerLimit() {
        h.feed(settled(setl(), "psn-3", P, "T-1", T0, "10.00", line(1, ITEM, "A", "1", "10.00", 20, Benefit.CHRONIC)));
        assertThat(h.feed(settled(setl(), "psn-3", P, "T-1", T0.plusMinutes(1), "10.00",
                line(1, ITEM, "A", "1", "10.00", 10, Benefit.CHRONIC)))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-3", P, "T-1", T0.plusMinutes(2), "10.00",
                line(1, ITEM, "A", "1", "10.00", 1, Benefit.CHRONIC)))).hasSize(1);
    }

    @Test
    void aud03_thirdPurchaseInSameWindow_noSecondAlert_laterWindow_newAlert() {
        h.feed(settled(setl(), "psn-4", P, "T-1", T0, "10.00", line(1, ITEM, "A", "1", "10.00", 7)));
        h.feed(settled(setl(), "psn-4", P, "T-1", T0.plusMinutes(1), "10.00", line(1, ITEM, "A", "1", "10.00", 7)));
        h.feed(settled(setl(), "psn-4", P, "T-1", T0.plusMinutes(2), "10.00", line(1, ITEM, "A", "1", "10.00", 7)));
        assertThat(h.alerts).hasSize(1);
        h.feed(settled(setl(), "psn-4", P, "T-1", T0.plusHours(2), "10.00", line(1, ITEM, "A", "1", "10.00", 7)));
        h.feed(settled(setl(), "psn-4", P, "T-1", T0.plusHours(2).plusMinutes(1), "10.00", line(1, ITEM, "A", "1", "10.00", 7)));
        assertThat(h.alerts).hasSize(2);
    }
}
