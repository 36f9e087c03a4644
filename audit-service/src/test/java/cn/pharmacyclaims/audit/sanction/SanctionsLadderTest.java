package cn.pharmacyclaims.audit.sanction;

import cn.pharmacyclaims.common.events.SanctionRequested.Level;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.OffsetDateTime;
import java.time.Period;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AUD-21 sanctions ladder, plain Java. */
class SanctionsLadderTest {
    private static final Set<BehaviourType> SEVERE = EnumSet.of(BehaviourType.CASH_OUT, BehaviourType.PRESCRIPTION_FRAUD,
            BehaviourType.NON_MEDICAL_GOODS, BehaviourType.STOCK_MISMATCH, BehaviourType.SETTLING_FOR_OTHERS);
    private static final SanctionsLadder LADDER = new SanctionsLadder(new SanctionsLadder.Settings(Period.ofMonths(12), 2, 3, SEVERE));
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-23T10:00:00+08:00");

    @Test
    void aud21_firstConfirmedCase_isInterview() {
        SanctionsLadder.Rung r = LADDER.decide("C-1", BehaviourType.GHOST_SWIPES, 1);
        assertThat(r.level()).isEqualTo(Level.INTERVIEW);
        assertThat(r.policeReferral()).isFalse();
        assertThat(r.severe()).isFalse();
        assertThat(r.confirmedCasesInWindow()).isEqualTo(1);
        assertThat(r.reason()).contains("AUD-21", "C-1", "GHOST_SWIPES", "1st confirmed case in 12 months", "interview",
                "rectification");
    }

    @Test
    void aud21_secondConfirmedCase_isSettlementHold() {
        SanctionsLadder.Rung r = LADDER.decide("C-2", BehaviourType.SMALL_AMOUNTS, 2);
        assertThat(r.level()).isEqualTo(Level.SETTLEMENT_HOLD);
        assertThat(r.policeReferral()).isFalse();
        assertThat(r.reason()).contains("C-2", "2nd confirmed case", "AGR-08");
    }

    @Test
    void aud21_thirdAndLaterConfirmedCases_areSuspension() {
        assertThat(LADDER.decide("C-3", BehaviourType.SPLITTING, 3).level()).isEqualTo(Level.SUSPENSION);
        assertThat(LADDER.decide("C-3", BehaviourType.SPLITTING, 3).reason()).contains("3rd confirmed case", "AGR-07");
        assertThat(LADDER.decide("C-7", BehaviourType.SPLITTING, 7).level()).isEqualTo(Level.SUSPENSION);
        assertThat(LADDER.decide("C-11", BehaviourType.SPLITTING, 11).reason()).contains("11th confirmed case");
    }

    @ParameterizedTest
    @EnumSource(value = BehaviourType.class, names = {"CASH_OUT", "PRESCRIPTION_FRAUD", "NON_MEDICAL_GOODS", "STOCK_MISMATCH",
            "SETTLING_FOR_OTHERS"})
    void aud21_severeCategory_isTerminationWithPoliceReferral_evenOnTheFirstCase(BehaviourType category) {
        for (int count : new int[] {1, 2, 5}) {
            SanctionsLadder.Rung r = LADDER.decide("C-9", category, count);
            assertThat(r.level()).isEqualTo(Level.TERMINATION);
            assertThat(r.policeReferral()).isTrue();
            assertThat(r.severe()).isTrue();
            assertThat(r.confirmedCasesInWindow()).isEqualTo(count);
            assertThat(r.reason()).contains("C-9", category.name(), "AGR-09", "police referral");
        }
    }

    @ParameterizedTest
    @EnumSource(value = BehaviourType.class, names = {"CASH_OUT", "PRESCRIPTION_FRAUD", "NON_MEDICAL_GOODS", "STOCK_MISMATCH",
            "SETTLING_FOR_OTHERS"}, mode = EnumSource.Mode.EXCLUDE)
    void aud21_otherCategories_followTheCount(BehaviourType category) {
        assertThat(LADDER.severe(category)).isFalse();
        assertThat(LADDER.decide("C-1", category, 1).level()).isEqualTo(Level.INTERVIEW);
    }

    @Test
    void aud21_window_countsConfirmationsInTheRolling12Months_boundaryExcluded() {
        OffsetDateTime windowStart = OffsetDateTime.parse("2025-11-23T10:00:00+08:00");
        assertThat(LADDER.windowStart(NOW)).isEqualTo(windowStart);
        List<OffsetDateTime> confirmed = List.of(
                windowStart.minusDays(40),          // long gone
                windowStart.minusSeconds(1),        // just outside
                windowStart,                        // exactly 12 months ago: out
                windowStart.plusSeconds(1),         // just inside
                NOW.minusMonths(6),
                NOW);                               // this case
        assertThat(LADDER.countInWindow(confirmed, NOW)).isEqualTo(3);
    }

    @Test
    void aud21_window_sameInstantInAnotherOffset_countsTheSame() {
        // 2025-11-23T02:00:01Z is 10:00:01 Beijing time: one second inside the window
        assertThat(LADDER.countInWindow(List.of(OffsetDateTime.parse("2025-11-23T02:00:01Z"), NOW), NOW)).isEqualTo(2);
        assertThat(LADDER.countInWindow(List.of(OffsetDateTime.parse("2025-11-23T02:00:00Z"), NOW), NOW)).isEqualTo(1);
    }

    @Test
    void aud21_window_crossingTheBoundaryMovesARungDown() {
        OffsetDateTime first = OffsetDateTime.parse("2025-12-01T09:00:00+08:00");
        OffsetDateTime second = OffsetDateTime.parse("2026-06-01T09:00:00+08:00");
        // a third case on 2026-11-30: the first is still within 12 months -> suspension
        OffsetDateTime third = OffsetDateTime.parse("2026-11-30T09:00:00+08:00");
        int before = LADDER.countInWindow(List.of(first, second, third), third);
        assertThat(LADDER.decide("C-3", BehaviourType.GHOST_SWIPES, before).level()).isEqualTo(Level.SUSPENSION);
        // the same third case a day after the first one's anniversary: two in the window -> settlement hold
        OffsetDateTime later = OffsetDateTime.parse("2026-12-02T09:00:00+08:00");
        int after = LADDER.countInWindow(List.of(first, second, later), later);
        assertThat(after).isEqualTo(2);
        assertThat(LADDER.decide("C-3", BehaviourType.GHOST_SWIPES, after).level()).isEqualTo(Level.SETTLEMENT_HOLD);
    }

    @Test
    void aud21_window_calendarMonthsInBeijingTime_endOfFebruary() {
        OffsetDateTime now = OffsetDateTime.parse("2028-02-29T12:00:00+08:00");
        assertThat(LADDER.windowStart(now)).isEqualTo(OffsetDateTime.parse("2027-02-28T12:00:00+08:00"));
    }

    @Test
    void aud21_thresholdsComeFromConfig() {
        SanctionsLadder strict = new SanctionsLadder(new SanctionsLadder.Settings(Period.ofMonths(24), 3, 5, Set.of()));
        assertThat(strict.decide("C", BehaviourType.GHOST_SWIPES, 2).level()).isEqualTo(Level.INTERVIEW);
        assertThat(strict.decide("C", BehaviourType.GHOST_SWIPES, 3).level()).isEqualTo(Level.SETTLEMENT_HOLD);
        assertThat(strict.decide("C", BehaviourType.GHOST_SWIPES, 4).level()).isEqualTo(Level.SETTLEMENT_HOLD);
        assertThat(strict.decide("C", BehaviourType.GHOST_SWIPES, 5).level()).isEqualTo(Level.SUSPENSION);
        assertThat(strict.decide("C", BehaviourType.CASH_OUT, 1).level()).isEqualTo(Level.INTERVIEW);
        assertThat(strict.decide("C", BehaviourType.GHOST_SWIPES, 1).reason()).contains("in 24 months");
        assertThat(strict.windowStart(NOW)).isEqualTo(OffsetDateTime.parse("2024-11-23T10:00:00+08:00"));
    }

    @Test
    void badSettings_andACountWithoutThisCase_areRefused() {
        assertThatThrownBy(() -> new SanctionsLadder.Settings(Period.ofMonths(12), 3, 3, SEVERE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SanctionsLadder.Settings(Period.ZERO, 2, 3, SEVERE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LADDER.decide("C", BehaviourType.GHOST_SWIPES, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
