package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static cn.pharmacyclaims.common.events.PharmacyStatus.ACTIVE;
import static cn.pharmacyclaims.common.events.PharmacyStatus.EXPIRED;
import static cn.pharmacyclaims.common.events.PharmacyStatus.SETTLEMENT_HOLD;
import static cn.pharmacyclaims.common.events.PharmacyStatus.SUSPENDED;
import static cn.pharmacyclaims.common.events.PharmacyStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** New terms (AGR-04 signing, AGR-05 renewal, AGR-10 additional region) and the cascade form of a transition. */
class AgreementTermsTest {
    static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 31, 10, 0, 0, 0, ZoneOffset.ofHours(8));
    final AgreementStateMachine machine = new AgreementStateMachine(AgreementStateMachine.Rules.defaults());

    static Agreement agreement(PharmacyStatus status, boolean hold, int suspensions) {
        return new Agreement(7, "P44010500001", "440105", AgreementType.GENERAL, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31),
                status, hold, suspensions, status == SUSPENDED ? NOW : null, false, null, NOW.minusDays(30), 3);
    }

    @Test
    void agr05_aRenewalStartsANewTermWithItsOwnSuspensionCount_aHoldStays() {
        Transition t = machine.renew(agreement(SETTLEMENT_HOLD, true, 1), LocalDate.of(2027, 1, 1), LocalDate.of(2027, 12, 31), NOW);
        assertThat(t.newTerm()).isTrue();
        assertThat(t.action()).isEqualTo(Action.RENEW);
        assertThat(t.after().id()).isZero();
        assertThat(t.after().validFrom()).isEqualTo(LocalDate.of(2027, 1, 1));
        assertThat(t.after().suspensionsInTerm()).isZero();
        assertThat(t.to()).isEqualTo(SETTLEMENT_HOLD);
        assertThat(t.after().settlementHold()).isTrue();
        assertThat(t.ruleId()).isEqualTo("AGR-05");
        assertThat(machine.renew(agreement(ACTIVE, false, 1), LocalDate.of(2027, 1, 1), LocalDate.of(2027, 12, 31), NOW).to()).isEqualTo(ACTIVE);
    }

    @Test
    void agr05_agr07_aSuspendedOrTerminatedAgreementIsNotRenewed_norBeforeItsTermEnds() {
        assertThatThrownBy(() -> machine.renew(agreement(SUSPENDED, false, 1), LocalDate.of(2027, 1, 1), LocalDate.of(2027, 12, 31), NOW))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> machine.renew(agreement(TERMINATED, false, 1), LocalDate.of(2027, 1, 1), LocalDate.of(2027, 12, 31), NOW))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("final");
        assertThatThrownBy(() -> machine.renew(agreement(ACTIVE, false, 0), LocalDate.of(2026, 12, 31), LocalDate.of(2027, 12, 30), NOW))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("2026-12-31");
        // expired while the renewal was being evaluated: the new term starts when signed
        assertThat(machine.renew(agreement(EXPIRED, false, 0), LocalDate.of(2027, 2, 1), LocalDate.of(2028, 1, 31), NOW).to()).isEqualTo(ACTIVE);
    }

    @Test
    void agr04_agr10_aNewAgreementOnlyWhereNoneRuns() {
        Transition fresh = machine.designate(null, "P44010500001", "440300", AgreementType.GENERAL, LocalDate.of(2027, 1, 1),
                LocalDate.of(2027, 12, 31), Action.ADD_AGREEMENT, false, NOW);
        assertThat(fresh.from()).isNull();
        assertThat(fresh.to()).isEqualTo(ACTIVE);
        assertThat(fresh.ruleId()).isEqualTo("AGR-10");
        assertThatThrownBy(() -> machine.designate(agreement(ACTIVE, false, 0), "P44010500001", "440105", AgreementType.GENERAL,
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 12, 31), Action.SIGN, true, NOW))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("running agreement");
        assertThatThrownBy(() -> machine.designate(agreement(TERMINATED, false, 0), "P44010500001", "440105", AgreementType.GENERAL,
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 12, 31), Action.ADD_AGREEMENT, false, NOW))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("terminated");
        assertThat(machine.designate(agreement(TERMINATED, false, 0), "P44010500001", "440105", AgreementType.GENERAL,
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 12, 31), Action.SIGN, true, NOW).ruleId()).isEqualTo("AGR-04");
    }

    @Test
    void agr07_agr09_aPharmacysOwnRequestTakesEffectAfterThreeMonthsNotice() {
        Agreement a = agreement(ACTIVE, false, 0);
        assertThatThrownBy(() -> AgreementStateMachine.requireNotice(a, Action.SUSPEND, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 12, 31), 3))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("from 2027-01-01");
        AgreementStateMachine.requireNotice(a, Action.TERMINATE, LocalDate.of(2026, 9, 30), LocalDate.of(2026, 12, 30), 3);
    }

    @Test
    void agr10_aCascadedTransitionCitesItsOrigin() {
        Transition t = machine.suspend(agreement(ACTIVE, false, 0), false, NOW).asCascade("440300", AgencyLevel.PREFECTURE);
        assertThat(t.ruleId()).isEqualTo("AGR-10");
        assertThat(t.reasonWith("data not provided")).isEqualTo("data not provided | AGR-10: cascade from region 440300 (PREFECTURE decision)");
        Transition terminating = machine.suspend(agreement(ACTIVE, false, 1), false, NOW).asCascade("440300", AgencyLevel.PROVINCE);
        assertThat(terminating.to()).isEqualTo(TERMINATED);
        assertThat(terminating.note()).contains("AGR-10").contains("AGR-09");
        assertThat(AgencyLevel.COUNTY.cascades()).isFalse();
        assertThat(AgencyLevel.PREFECTURE.cascades()).isTrue();
    }
}
