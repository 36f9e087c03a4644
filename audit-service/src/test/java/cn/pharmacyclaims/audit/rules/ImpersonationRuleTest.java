package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static cn.pharmacyclaims.audit.rules.Fixtures.T0;
import static cn.pharmacyclaims.audit.rules.Fixtures.pharmacy;
import static cn.pharmacyclaims.audit.rules.Fixtures.setl;
import static cn.pharmacyclaims.audit.rules.Fixtures.settled;
import static org.assertj.core.api.Assertions.assertThat;

/** AUD-02: ≥ 3 pharmacies within 60 min, or > 50 km apart within 30 min. */
class ImpersonationRuleTest {
    // Guangzhou, a second Guangzhou shop 2 km away, a third nearby, Shenzhen (about 105 km), Foshan (about 18 km)
    static final String GZ1 = "P44010500001";
    static final String GZ2 = "P44010500002";
    static final String GZ3 = "P44010500003";
    static final String SZ = "P44030400007";
    static final String FS = "P44060400001";

    RuleHarness h;

    @BeforeEach
    void setUp() {
        h = new RuleHarness(new ImpersonationRule(3, Duration.ofMinutes(60), 50, Duration.ofMinutes(30)))
                .with(pharmacy(GZ1, 23.1291, 113.2644, "08:00-22:00"))
                .with(pharmacy(GZ2, 23.1400, 113.2800, "08:00-22:00"))
                .with(pharmacy(GZ3, 23.1200, 113.2500, "08:00-22:00"))
                .with(pharmacy(SZ, 22.5431, 114.0579, "08:00-22:00"))
                .with(pharmacy(FS, 23.0215, 113.1214, "08:00-22:00"));
    }

    @Test
    void aud02_threePharmaciesWithin60Min_fires() {
        assertThat(h.feed(settled(setl(), "psn-1", GZ1, "T-1", T0, "10.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-1", GZ2, "T-2", T0.plusMinutes(25), "20.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-1", GZ3, "T-3", T0.plusMinutes(59), "30.00"))).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("AUD-02");
            assertThat(f.ruleName()).isEqualTo(ImpersonationRule.NAME_MANY);
            assertThat(f.severity()).isEqualTo(Severity.HIGHLY_SUSPICIOUS);
            assertThat(f.behaviourType()).isEqualTo(BehaviourType.IMPERSONATION);
            assertThat(f.involved()).hasSize(3);
            assertThat(f.amount()).isEqualByComparingTo("60.00");
            assertThat(f.subject().psnNo()).isEqualTo("psn-1");
            assertThat(f.subject().pharmacyCode()).isEqualTo(GZ3);
            assertThat(f.windowStart()).isEqualTo(T0);
            assertThat(f.windowEnd()).isEqualTo(T0.plusMinutes(59));
        });
    }

    @Test
    void aud02_twoPharmaciesOrThreeOver61Min_silent() {
        h.feed(settled(setl(), "psn-1", GZ1, "T-1", T0, "10.00"));
        assertThat(h.feed(settled(setl(), "psn-1", GZ2, "T-2", T0.plusMinutes(10), "10.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-1", GZ2, "T-2", T0.plusMinutes(20), "10.00"))).isEmpty();
        // third pharmacy just outside the hour after the first
        assertThat(h.feed(settled(setl(), "psn-2", GZ1, "T-1", T0, "10.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-2", GZ2, "T-2", T0.plusMinutes(30), "10.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-2", GZ1, "T-1", T0.plusMinutes(61), "10.00"))).isEmpty();
        assertThat(h.alerts).isEmpty();
    }

    @Test
    void aud02_distantPharmaciesWithin30Min_fires() {
        h.feed(settled(setl(), "psn-3", GZ1, "T-1", T0.plusMinutes(2), "50.00"));
        assertThat(h.feed(settled(setl(), "psn-3", SZ, "T-9", T0.plusMinutes(19), "76.40"))).singleElement().satisfies(f -> {
            assertThat(f.ruleName()).isEqualTo(ImpersonationRule.NAME_DISTANT);
            assertThat(f.amount()).isEqualByComparingTo("126.40");
            assertThat(f.evidence()).contains(GZ1 + " 10:02").contains(SZ).contains("km").contains("10:19");
            assertThat(f.subject().pharmacyCode()).isEqualTo(SZ);
        });
    }

    @Test
    void aud02_nearPharmaciesOrDistantButTooFarApartInTime_silent() {
        h.feed(settled(setl(), "psn-4", GZ1, "T-1", T0, "10.00"));
        assertThat(h.feed(settled(setl(), "psn-4", FS, "T-5", T0.plusMinutes(10), "10.00"))).isEmpty(); // 18 km
        h.feed(settled(setl(), "psn-5", GZ1, "T-1", T0, "10.00"));
        assertThat(h.feed(settled(setl(), "psn-5", SZ, "T-9", T0.plusMinutes(31), "10.00"))).isEmpty();
    }

    @Test
    void aud02_unknownLocation_noDistanceJudgement() {
        h.feed(settled(setl(), "psn-6", GZ1, "T-1", T0, "10.00"));
        assertThat(h.feed(settled(setl(), "psn-6", "P99999999999", "T-8", T0.plusMinutes(5), "10.00"))).isEmpty();
    }

    @Test
    void aud02_laterVisitsInSameWindow_noSecondAlert_nextWindow_newAlert() {
        h.feed(settled(setl(), "psn-7", GZ1, "T-1", T0, "10.00"));
        h.feed(settled(setl(), "psn-7", GZ2, "T-2", T0.plusMinutes(5), "10.00"));
        assertThat(h.feed(settled(setl(), "psn-7", GZ3, "T-3", T0.plusMinutes(10), "10.00"))).hasSize(1);
        assertThat(h.feed(settled(setl(), "psn-7", GZ1, "T-1", T0.plusMinutes(15), "10.00"))).isEmpty();
        assertThat(h.feed(settled(setl(), "psn-7", SZ, "T-9", T0.plusMinutes(40), "10.00"))).isEmpty();
        assertThat(h.seen).hasSizeGreaterThanOrEqualTo(3);
        // three hours later: a new window
        h.feed(settled(setl(), "psn-7", GZ1, "T-1", T0.plusHours(3), "10.00"));
        h.feed(settled(setl(), "psn-7", GZ2, "T-2", T0.plusHours(3).plusMinutes(5), "10.00"));
        assertThat(h.feed(settled(setl(), "psn-7", GZ3, "T-3", T0.plusHours(3).plusMinutes(10), "10.00"))).hasSize(1);
        assertThat(h.alerts).hasSize(2);
    }

    @Test
    void aud02_outOfOrderArrival_stillSeen() {
        h.feed(settled(setl(), "psn-8", GZ3, "T-3", T0.plusMinutes(50), "10.00"));
        h.feed(settled(setl(), "psn-8", GZ1, "T-1", T0, "10.00"));
        assertThat(h.feed(settled(setl(), "psn-8", GZ2, "T-2", T0.plusMinutes(20), "10.00"))).singleElement()
                .satisfies(f -> assertThat(f.involved()).hasSize(3));
    }

    @Test
    void aud02_cancelledSettlementLeavesTheWindow() {
        var first = settled(setl(), "psn-9", GZ1, "T-1", T0, "10.00");
        h.feed(first);
        h.feed(settled(setl(), "psn-9", GZ2, "T-2", T0.plusMinutes(5), "10.00"));
        h.feed(Fixtures.cancelled(first));
        assertThat(h.feed(settled(setl(), "psn-9", GZ3, "T-3", T0.plusMinutes(10), "10.00"))).isEmpty();
    }
}
