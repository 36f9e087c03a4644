package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.ban.Person;
import cn.pharmacyclaims.agreement.lifecycle.AgreementType;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static cn.pharmacyclaims.agreement.application.ApplicationStatus.FAILED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.MATERIALS_INCOMPLETE;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.NEGOTIATION_FAILED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.PASSED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.REJECTED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.SIGNED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.UNDER_EVALUATION;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.WITHDRAWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApplicationStateMachineTest {
    static final LocalDate RECEIVED = LocalDate.of(2026, 2, 12);
    final ApplicationStateMachine machine = new ApplicationStateMachine(ApplicationStateMachine.Rules.defaults());

    static Preconditions good() {
        return new Preconditions("药经营字 123", 6, 2, true, true);
    }

    static Application received() {
        return new Application(9, ApplicationKind.NEW, "P44010500001", "440105", AgreementType.GENERAL, null,
                new Person("ID_CARD", "440102199001011234"), null, good(), UNDER_EVALUATION, RECEIVED, 1, RECEIVED, null, null, null, null, 0,
                null, null, null, null, null, null, 1);
    }

    @Test
    void agr01_everyUnmetPreconditionIsNamed() {
        assertThat(machine.unmetPreconditions(good())).isEmpty();
        List<FieldError> unmet = machine.unmetPreconditions(new Preconditions(" ", 2, 0, false, false));
        assertThat(unmet).extracting(FieldError::field).containsExactly("preconditions.licenceNumber", "preconditions.monthsAtAddress",
                "preconditions.pharmacists", "preconditions.insuranceManager", "preconditions.onlineSettlement");
        assertThat(unmet.get(1).message()).contains("3 months").contains("declared 2");
    }

    @Test
    void agr02_oneNoticeStopsTheEvaluationClock_theSupplementCountsThePausedDays() {
        ApplicationTransition notice = machine.noticeIncomplete(received(), LocalDate.of(2026, 2, 13), List.of("licence copy", "floor plan"));
        assertThat(notice.to()).isEqualTo(MATERIALS_INCOMPLETE);
        assertThat(notice.after().missingItems()).containsExactly("licence copy", "floor plan");
        assertThat(notice.after().version()).isEqualTo(2);

        assertThatThrownBy(() -> machine.noticeIncomplete(notice.after(), LocalDate.of(2026, 2, 14), List.of("x")))
                .isInstanceOf(IllegalApplicationStepException.class).hasMessageContaining("MATERIALS_INCOMPLETE");

        ApplicationTransition supplement = machine.supplementReceived(notice.after(), LocalDate.of(2026, 3, 5));
        assertThat(supplement.to()).isEqualTo(UNDER_EVALUATION);
        assertThat(supplement.after().pausedDays()).isEqualTo(20);
        assertThat(supplement.note()).contains("20 days");

        // AGR-02: everything missing goes in one notice
        assertThatThrownBy(() -> machine.noticeIncomplete(supplement.after(), LocalDate.of(2026, 3, 6), List.of("more")))
                .isInstanceOf(IllegalApplicationStepException.class).hasMessageContaining("one notice");
    }

    @Test
    void agr02_noticeNeedsItsItems_andDatesInTheWrongOrderAre400() {
        assertThatThrownBy(() -> machine.noticeIncomplete(received(), RECEIVED, List.of()))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().errors().get(0).field()).isEqualTo("missingItems"));
        assertThatThrownBy(() -> machine.noticeIncomplete(received(), RECEIVED.minusDays(1), List.of("x")))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().errors().get(0).field()).isEqualTo("issuedOn"));
        Application incomplete = machine.noticeIncomplete(received(), LocalDate.of(2026, 2, 20), List.of("x")).after();
        assertThatThrownBy(() -> machine.supplementReceived(incomplete, LocalDate.of(2026, 2, 19)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().errors().get(0).field()).isEqualTo("receivedOn"));
    }

    @Test
    void agr02_confirmingCompleteMaterialsRulesOutALaterNotice() {
        Application complete = machine.confirmComplete(received(), RECEIVED.plusDays(1)).after();
        assertThat(complete.materialsCompleteOn()).isEqualTo(RECEIVED.plusDays(1));
        assertThat(complete.status()).isEqualTo(UNDER_EVALUATION);
        assertThatThrownBy(() -> machine.noticeIncomplete(complete, RECEIVED.plusDays(2), List.of("x")))
                .isInstanceOf(IllegalApplicationStepException.class);
        assertThatThrownBy(() -> machine.confirmComplete(complete, RECEIVED.plusDays(2))).isInstanceOf(IllegalApplicationStepException.class);
    }

    @Test
    void agr03_failThenReEvaluationAfterThreeMonthsThenPassThenSign() {
        Application failed = machine.evaluate(received(), false, "no pharmacist on duty", LocalDate.of(2026, 4, 1)).after();
        assertThat(failed.status()).isEqualTo(FAILED);
        assertThat(failed.result()).isEqualTo("FAIL");

        assertThatThrownBy(() -> machine.reEvaluate(failed, LocalDate.of(2026, 6, 30)))
                .isInstanceOf(IllegalApplicationStepException.class).hasMessageContaining("2026-07-01");
        ApplicationTransition again = machine.reEvaluate(failed, LocalDate.of(2026, 7, 1));
        assertThat(again.to()).isEqualTo(UNDER_EVALUATION);
        assertThat(again.after().round()).isEqualTo(2);
        assertThat(again.after().roundStartedOn()).isEqualTo(LocalDate.of(2026, 7, 1));
        assertThat(again.after().result()).isNull();

        Application passed = machine.evaluate(again.after(), true, "rectified", LocalDate.of(2026, 8, 1)).after();
        assertThat(passed.status()).isEqualTo(PASSED);
        ApplicationTransition signed = machine.sign(passed, LocalDate.of(2026, 8, 2), LocalDate.of(2027, 8, 1), 77L);
        assertThat(signed.to()).isEqualTo(SIGNED);
        assertThat(signed.after().agreementId()).isEqualTo(77L);
        assertThat(signed.ruleId()).isEqualTo("AGR-04");
    }

    @Test
    void agr03_agr12_aSecondFailRejects() {
        Application failed = machine.evaluate(received(), false, "x", LocalDate.of(2026, 4, 1)).after();
        Application round2 = machine.reEvaluate(failed, LocalDate.of(2026, 7, 1)).after();
        ApplicationTransition rejected = machine.evaluate(round2, false, "still no pharmacist", LocalDate.of(2026, 8, 1));
        assertThat(rejected.to()).isEqualTo(REJECTED);
        assertThat(rejected.note()).contains("AGR-12");
        for (var step : List.<Runnable>of(() -> machine.reEvaluate(rejected.after(), LocalDate.of(2027, 1, 1)),
                () -> machine.withdraw(rejected.after()), () -> machine.sign(rejected.after(), RECEIVED, RECEIVED, null))) {
            assertThatThrownBy(step::run).isInstanceOf(IllegalApplicationStepException.class).hasMessageContaining("final");
        }
    }

    @Test
    void agr03_resultsNeedReasons_andADeliveryBeforeTheEvaluationStartedIs400() {
        assertThatThrownBy(() -> machine.evaluate(received(), true, " ", RECEIVED))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().errors().get(0).field()).isEqualTo("reasons"));
        assertThatThrownBy(() -> machine.evaluate(received(), true, "ok", RECEIVED.minusDays(1)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().errors().get(0).field()).isEqualTo("deliveredOn"));
    }

    @Test
    void illegalStepsAreRefusedNamingStatusAndStep() {
        Application a = received();
        assertThatThrownBy(() -> machine.sign(a, RECEIVED, RECEIVED, null)).isInstanceOfSatisfying(IllegalApplicationStepException.class, e -> {
            assertThat(e.currentStatus()).isEqualTo(UNDER_EVALUATION);
            assertThat(e.action()).isEqualTo(ApplicationAction.SIGN);
            assertThat(e.getMessage()).contains("sign").contains("UNDER_EVALUATION");
        });
        assertThatThrownBy(() -> machine.supplementReceived(a, RECEIVED)).isInstanceOf(IllegalApplicationStepException.class);
        assertThatThrownBy(() -> machine.reEvaluate(a, RECEIVED)).isInstanceOf(IllegalApplicationStepException.class);
        assertThatThrownBy(() -> machine.decline(a)).isInstanceOf(IllegalApplicationStepException.class);
        assertThatThrownBy(() -> machine.startTerm(a, 1)).isInstanceOf(IllegalApplicationStepException.class);
        Application failed = machine.evaluate(a, false, "x", RECEIVED).after();
        assertThatThrownBy(() -> machine.withdraw(failed)).isInstanceOf(IllegalApplicationStepException.class);
    }

    @Test
    void agr04_declineAndWithdrawClose() {
        Application passed = machine.evaluate(received(), true, "ok", RECEIVED).after();
        assertThat(machine.decline(passed).to()).isEqualTo(NEGOTIATION_FAILED);
        assertThat(machine.withdraw(passed).to()).isEqualTo(WITHDRAWN);
        assertThat(machine.withdraw(received()).to()).isEqualTo(WITHDRAWN);
    }

    @Test
    void agr05_aSignedRenewalStartsItsTermOrLapses() {
        Application passed = machine.evaluate(received(), true, "ok", RECEIVED).after();
        Application pending = machine.sign(passed, LocalDate.of(2027, 1, 1), LocalDate.of(2027, 12, 31), null).after();
        assertThat(pending.agreementId()).isNull();
        assertThat(machine.startTerm(pending, 42).after().agreementId()).isEqualTo(42);
        assertThat(machine.lapse(pending, "suspended at the end of the term").to()).isEqualTo(ApplicationStatus.LAPSED);
        Application started = machine.startTerm(pending, 42).after();
        assertThatThrownBy(() -> machine.startTerm(started, 43)).isInstanceOf(IllegalApplicationStepException.class);
        assertThatThrownBy(() -> machine.lapse(started, "x")).isInstanceOf(IllegalApplicationStepException.class);
    }

    @Test
    void agr01_subjectsAreThePharmacyAndItsKeyPersons() {
        assertThat(received().subjectKeys()).containsExactly("PHARMACY:P44010500001", "PERSON:ID_CARD:440102199001011234");
    }
}
