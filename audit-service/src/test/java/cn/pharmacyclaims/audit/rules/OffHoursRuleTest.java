package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;

import static cn.pharmacyclaims.audit.rules.Fixtures.pharmacy;
import static cn.pharmacyclaims.audit.rules.Fixtures.setl;
import static cn.pharmacyclaims.audit.rules.Fixtures.settled;
import static org.assertj.core.api.Assertions.assertThat;

/** AUD-06: a settlement outside the pharmacy's registered business hours (Beijing time). */
class OffHoursRuleTest {
    static final String P = "P44010500001";
    static final String NIGHT = "P44010500002";
    static final String NO_HOURS = "P44010500003";
    static final OffsetDateTime DAY = OffsetDateTime.parse("2026-11-23T00:00:00+08:00");

    final RuleHarness h = new RuleHarness(new OffHoursRule())
            .with(pharmacy(P, null, null, "08:00-22:00"))
            .with(pharmacy(NIGHT, null, null, "20:00-02:00"))
            .with(pharmacy(NO_HOURS, null, null, null));

    @Test
    void aud06_settlementAfterClosing_fires() {
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", DAY.plusHours(23).plusMinutes(30), "20.00"))).singleElement()
                .satisfies(f -> {
                    assertThat(f.ruleId()).isEqualTo("AUD-06");
                    assertThat(f.severity()).isEqualTo(Severity.SUSPICIOUS);
                    assertThat(f.behaviourType()).isEqualTo(BehaviourType.GHOST_SWIPES);
                    assertThat(f.subject().pharmacyCode()).isEqualTo(P);
                    assertThat(f.evidence()).contains("23:30").contains("08:00-22:00");
                });
    }

    @Test
    void aud06_theSameTimeGivenInUtc_isJudgedInBeijingTime() {
        // 15:30Z is 23:30 in Beijing
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", OffsetDateTime.parse("2026-11-23T15:30:00Z"), "20.00")))
                .hasSize(1);
        // 02:00Z is 10:00 in Beijing
        assertThat(h.feed(settled(setl(), "psn-1", P, "T-1", OffsetDateTime.parse("2026-11-24T02:00:00Z"), "20.00")))
                .isEmpty();
    }

    @Test
    void aud06_lastMinuteBeforeClosing_silent_closingMinute_fires() {
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", DAY.plusHours(21).plusMinutes(59).plusSeconds(59), "20.00")))
                .isEmpty();
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", DAY.plusHours(8), "20.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-2", P, "T-1", DAY.plusHours(22), "20.00"))).hasSize(1);
    }

    @Test
    void aud06_hoursPastMidnight() {
        assertThat(h.feed(settled(setl(), "psn-3", NIGHT, "T-2", DAY.plusHours(1), "20.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-3", NIGHT, "T-2", DAY.plusHours(21), "20.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-3", NIGHT, "T-2", DAY.plusHours(12), "20.00"))).hasSize(1);
    }

    @Test
    void aud06_unknownHours_silent() {
        assertThat(h.feed(settled(setl(), "psn-4", NO_HOURS, "T-3", DAY.plusHours(3), "20.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-4", "P99999999999", "T-3", DAY.plusHours(3), "20.00"))).isEmpty();
    }

    @Test
    void aud06_severalAtNightSameDay_oneAlert_nextDay_newAlert() {
        assertThat(h.feed(settled(setl(), "psn-5", P, "T-1", DAY.plusHours(22).plusMinutes(10), "20.00"))).hasSize(1);
        assertThat(h.feed(settled(setl(), "psn-6", P, "T-1", DAY.plusHours(23), "20.00"))).isEmpty();
        assertThat(h.seen).hasSize(2);
        assertThat(h.feed(settled(setl(), "psn-7", P, "T-1", DAY.plusDays(1).plusHours(6), "20.00"))).hasSize(1);
    }
}
