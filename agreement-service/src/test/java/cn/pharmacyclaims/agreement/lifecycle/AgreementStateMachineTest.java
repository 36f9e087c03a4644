package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import static cn.pharmacyclaims.common.events.PharmacyStatus.ACTIVE;
import static cn.pharmacyclaims.common.events.PharmacyStatus.EXPIRED;
import static cn.pharmacyclaims.common.events.PharmacyStatus.SETTLEMENT_HOLD;
import static cn.pharmacyclaims.common.events.PharmacyStatus.SUSPENDED;
import static cn.pharmacyclaims.common.events.PharmacyStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgreementStateMachineTest {
    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 6, 15, 10, 0, 0, 0, ZoneOffset.ofHours(8));
    final AgreementStateMachine machine = new AgreementStateMachine(AgreementStateMachine.Rules.defaults());

    static Agreement agreement(PharmacyStatus status, AgreementType type) {
        return new Agreement(7, "P44010500001", "440105", type, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31), status,
                status == SETTLEMENT_HOLD, 0, status == SUSPENDED ? NOW.minusDays(1) : null, false, null, NOW.minusDays(30), 3);
    }

    static Agreement active() {
        return agreement(ACTIVE, AgreementType.GENERAL);
    }

    @Test
    void agr07_suspendActiveCountsOneSuspensionAndRecordsItsStart() {
        Transition t = machine.suspend(active(), false, NOW);
        assertThat(t.to()).isEqualTo(SUSPENDED);
        assertThat(t.after().suspensionsInTerm()).isEqualTo(1);
        assertThat(t.after().suspendedAt()).isEqualTo(NOW);
        assertThat(t.after().suspensionRequestedByPharmacy()).isFalse();
        assertThat(t.after().version()).isEqualTo(4);
        assertThat(t.ruleId()).isEqualTo("AGR-07");
        assertThat(t.ground()).isNull();
    }

    @Test
    void agr07_resumeReturnsToActiveAndClearsTheSuspension() {
        Agreement suspended = machine.suspend(active(), false, NOW).after();
        Transition t = machine.resume(suspended, NOW.plusDays(3));
        assertThat(t.to()).isEqualTo(ACTIVE);
        assertThat(t.after().suspendedAt()).isNull();
        assertThat(t.after().suspensionsInTerm()).isEqualTo(1);
    }

    @Test
    void agr09_secondSuspensionInOneTermTerminatesAGeneralAgreement() {
        Agreement once = machine.resume(machine.suspend(active(), false, NOW).after(), NOW).after();
        Transition t = machine.suspend(once, false, NOW.plusDays(10));
        assertThat(t.action()).isEqualTo(Action.SUSPEND);
        assertThat(t.to()).isEqualTo(TERMINATED);
        assertThat(t.ground()).isEqualTo(TerminationGround.REPEATED_SUSPENSION);
        assertThat(t.after().terminationGround()).isEqualTo(TerminationGround.REPEATED_SUSPENSION);
        assertThat(t.after().suspensionsInTerm()).isEqualTo(2);
        assertThat(t.ruleId()).isEqualTo("AGR-09");
        assertThat(t.reasonWith("fails to provide data")).startsWith("fails to provide data | AGR-09: suspension 2");
    }

    @Test
    void agr09_specialDrugAgreementsTerminateOnTheThirdSuspension() {
        Agreement a = agreement(ACTIVE, AgreementType.SPECIAL_DRUG);
        for (int i = 1; i <= 2; i++) {
            Transition s = machine.suspend(a, false, NOW);
            assertThat(s.to()).as("suspension %d", i).isEqualTo(SUSPENDED);
            a = machine.resume(s.after(), NOW).after();
        }
        assertThat(machine.suspend(a, false, NOW).to()).isEqualTo(TERMINATED);
    }

    @Test
    void agr09_limitsAreConfigurable() {
        AgreementStateMachine strict = new AgreementStateMachine(new AgreementStateMachine.Rules(1, 1, false, 180));
        assertThat(strict.suspend(active(), false, NOW).to()).isEqualTo(TERMINATED);
    }

    @Test
    void agr09_pharmacyRequestedSuspensionsDoNotCountUnlessConfigured() {
        Agreement a = active();
        for (int i = 0; i < 3; i++) {
            Transition s = machine.suspend(a, true, NOW);
            assertThat(s.to()).isEqualTo(SUSPENDED);
            assertThat(s.after().suspensionRequestedByPharmacy()).isTrue();
            a = machine.resume(s.after(), NOW).after();
        }
        assertThat(a.suspensionsInTerm()).isZero();

        AgreementStateMachine counting = new AgreementStateMachine(new AgreementStateMachine.Rules(2, 3, true, 180));
        Agreement b = counting.resume(counting.suspend(active(), true, NOW).after(), NOW).after();
        assertThat(counting.suspend(b, true, NOW).to()).isEqualTo(TERMINATED);
    }

    @Test
    void agr08_holdAndLift() {
        Transition hold = machine.hold(active(), NOW);
        assertThat(hold.to()).isEqualTo(SETTLEMENT_HOLD);
        assertThat(hold.after().settlementHold()).isTrue();
        Transition lift = machine.liftHold(hold.after(), NOW);
        assertThat(lift.to()).isEqualTo(ACTIVE);
        assertThat(lift.after().settlementHold()).isFalse();
    }

    @Test
    void agr08_aHeldPharmacySuspendedAndResumedIsHeldAgain() {
        Agreement held = machine.hold(active(), NOW).after();
        Agreement suspended = machine.suspend(held, false, NOW).after();
        assertThat(suspended.status()).isEqualTo(SUSPENDED);
        assertThat(suspended.settlementHold()).isTrue();
        assertThat(machine.resume(suspended, NOW).to()).isEqualTo(SETTLEMENT_HOLD);
    }

    @Test
    void agr08_liftingTheHoldWhileSuspendedMakesResumeGoToActive() {
        Agreement suspended = machine.suspend(machine.hold(active(), NOW).after(), false, NOW).after();
        Transition lift = machine.liftHold(suspended, NOW);
        assertThat(lift.from()).isEqualTo(SUSPENDED);
        assertThat(lift.to()).isEqualTo(SUSPENDED);
        assertThat(lift.after().settlementHold()).isFalse();
        assertThat(machine.resume(lift.after(), NOW).to()).isEqualTo(ACTIVE);
    }

    @ParameterizedTest
    @EnumSource(value = PharmacyStatus.class, names = {"ACTIVE", "SETTLEMENT_HOLD", "SUSPENDED"})
    void agr09_terminateFromEveryRunningStatus(PharmacyStatus from) {
        Transition t = machine.terminate(agreement(from, AgreementType.GENERAL), TerminationGround.CASHING_OUT, NOW);
        assertThat(t.to()).isEqualTo(TERMINATED);
        assertThat(t.after().terminationGround()).isEqualTo(TerminationGround.CASHING_OUT);
        assertThat(t.after().suspendedAt()).isNull();
    }

    @Test
    void agr09_nothingLeavesTerminated() {
        Agreement terminated = machine.terminate(active(), TerminationGround.FORGED_RECORDS, NOW).after();
        List<Function<Agreement, Transition>> all = List.of(
                a -> machine.suspend(a, false, NOW), a -> machine.suspend(a, true, NOW), a -> machine.resume(a, NOW),
                a -> machine.hold(a, NOW), a -> machine.liftHold(a, NOW),
                a -> machine.terminate(a, TerminationGround.OTHER, NOW),
                a -> machine.expire(a, NOW.plusYears(2)), a -> machine.endRequestedSuspension(a, NOW.plusYears(2)));
        for (Function<Agreement, Transition> action : all) {
            assertThatThrownBy(() -> action.apply(terminated))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.currentStatus()).isEqualTo(TERMINATED);
                        assertThat(e.getMessage()).contains("TERMINATED");
                    });
        }
        assertThat(machine.expiryDue(terminated, LocalDate.of(2030, 1, 1))).isFalse();
    }

    @Test
    void illegalTransitionsNameTheStatusAndTheAction() {
        assertRefused(() -> machine.resume(active(), NOW), ACTIVE, Action.RESUME);
        assertRefused(() -> machine.liftHold(active(), NOW), ACTIVE, Action.LIFT_HOLD);
        Agreement suspended = agreement(SUSPENDED, AgreementType.GENERAL);
        assertRefused(() -> machine.suspend(suspended, false, NOW), SUSPENDED, Action.SUSPEND);
        assertRefused(() -> machine.hold(suspended, NOW), SUSPENDED, Action.SETTLEMENT_HOLD);
        Agreement held = agreement(SETTLEMENT_HOLD, AgreementType.GENERAL);
        assertRefused(() -> machine.hold(held, NOW), SETTLEMENT_HOLD, Action.SETTLEMENT_HOLD);
        assertRefused(() -> machine.resume(held, NOW), SETTLEMENT_HOLD, Action.RESUME);
        Agreement expired = agreement(EXPIRED, AgreementType.GENERAL);
        assertRefused(() -> machine.suspend(expired, false, NOW), EXPIRED, Action.SUSPEND);
        assertRefused(() -> machine.terminate(expired, TerminationGround.OTHER, NOW), EXPIRED, Action.TERMINATE);
        assertRefused(() -> machine.hold(expired, NOW), EXPIRED, Action.SETTLEMENT_HOLD);
    }

    @Test
    void agr05_expiresTheDayAfterValidToNotOnIt() {
        Agreement a = active();  // valid to 2026-12-31
        OffsetDateTime lastDay = OffsetDateTime.of(2026, 12, 31, 23, 59, 0, 0, ZoneOffset.ofHours(8));
        assertThat(machine.expiryDue(a, lastDay.toLocalDate())).isFalse();
        assertRefused(() -> machine.expire(a, lastDay), ACTIVE, Action.EXPIRE);
        OffsetDateTime dayAfter = lastDay.plusMinutes(1);
        assertThat(machine.expiryDue(a, dayAfter.toLocalDate())).isTrue();
        Transition t = machine.expire(a, dayAfter);
        assertThat(t.to()).isEqualTo(EXPIRED);
        assertThat(t.ruleId()).isEqualTo("AGR-05");
    }

    @Test
    void agr07_aSuspensionThatOutlastsTheTermEndsTheAgreement() {
        Agreement suspended = agreement(SUSPENDED, AgreementType.GENERAL);
        OffsetDateTime after = OffsetDateTime.of(2027, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(8));
        Transition t = machine.expire(suspended, after);
        assertThat(t.to()).isEqualTo(EXPIRED);
        assertThat(t.ruleId()).isEqualTo("AGR-07");
        assertThat(t.after().suspendedAt()).isNull();
        assertRefused(() -> machine.resume(suspended, after), SUSPENDED, Action.RESUME);
    }

    @Test
    void agr07_pharmacyRequestedSuspensionEndsTheAgreementAfter180Days() {
        Agreement requested = machine.suspend(active(), true, NOW).after();
        OffsetDateTime justBefore = NOW.plusDays(180).minusSeconds(1);
        assertThat(machine.requestedSuspensionDue(requested, justBefore)).isFalse();
        assertRefused(() -> machine.endRequestedSuspension(requested, justBefore), SUSPENDED, Action.END_REQUESTED_SUSPENSION);
        OffsetDateTime due = NOW.plusDays(180);
        assertThat(machine.requestedSuspensionDue(requested, due)).isTrue();
        Transition t = machine.endRequestedSuspension(requested, due);
        assertThat(t.to()).isEqualTo(TERMINATED);
        assertThat(t.ground()).isEqualTo(TerminationGround.REQUESTED_SUSPENSION_NOT_RESUMED);
        assertThat(t.ruleId()).isEqualTo("AGR-07");
    }

    @Test
    void agr07_anAgencySuspensionHasNo180DayLimit() {
        Agreement imposed = machine.suspend(active(), false, NOW).after();
        assertThat(machine.requestedSuspensionDue(imposed, NOW.plusDays(400))).isFalse();
    }

    @Test
    void systemGroundsCannotBeClaimedByStaff() {
        assertThat(TerminationGround.REPEATED_SUSPENSION.staffMayClaim()).isFalse();
        assertThat(TerminationGround.REQUESTED_SUSPENSION_NOT_RESUMED.staffMayClaim()).isFalse();
        assertThat(TerminationGround.CASHING_OUT.staffMayClaim()).isTrue();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, PharmacyStatus status, Action action) {
        assertThatThrownBy(call).isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
            assertThat(e.currentStatus()).isEqualTo(status);
            assertThat(e.action()).isEqualTo(action);
            assertThat(e.getMessage()).contains(status.name()).contains(action.label());
        });
    }
}
