package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.ban.Person;
import cn.pharmacyclaims.agreement.lifecycle.AgreementType;

import java.time.LocalDate;
import java.util.List;

/**
 * An application for designation or renewal (AGR-01 .. AGR-05): a value, changed only through
 * {@link ApplicationStateMachine}.
 *
 * @param details             master data when the pharmacy is not known yet (NEW), else null
 * @param round               AGR-03 evaluation round: 2 after a re-evaluation
 * @param roundStartedOn      acceptance (round 1) or the re-evaluation's start (round 2)
 * @param pausedDays          AGR-03 supplement time, excluded from the evaluation limit
 * @param resultDeliveredOn   AGR-03: the re-evaluation wait is counted from here
 * @param termFrom            the signed term (AGR-04 / AGR-05)
 * @param agreementId         the agreement the signing created; null for a renewal whose term has not started
 */
public record Application(long id, ApplicationKind kind, String pharmacyCode, String regionCode, AgreementType agreementType,
                          PharmacyDetails details, Person legalRepresentative, Person actualController, Preconditions preconditions,
                          ApplicationStatus status, LocalDate receivedOn, int round, LocalDate roundStartedOn,
                          LocalDate materialsCompleteOn, LocalDate noticeIssuedOn, List<String> missingItems,
                          LocalDate supplementReceivedOn, int pausedDays, String result, String resultReasons,
                          LocalDate resultDeliveredOn, LocalDate termFrom, LocalDate termTo, Long agreementId, long version) {

    /** The subjects AGR-12 bans and the AGR-01 dishonest list are matched on. */
    public List<String> subjectKeys() {
        java.util.List<String> keys = new java.util.ArrayList<>();
        keys.add(Person.pharmacyKey(pharmacyCode));
        if (legalRepresentative != null) {
            keys.add(legalRepresentative.subjectKey());
        }
        if (actualController != null) {
            keys.add(actualController.subjectKey());
        }
        return keys;
    }

    public Draft draft() {
        return new Draft(this);
    }

    /** A mutable copy for the state machine to build the next value from. */
    public static final class Draft {
        private final Application a;
        ApplicationStatus status;
        int round;
        LocalDate roundStartedOn;
        LocalDate materialsCompleteOn;
        LocalDate noticeIssuedOn;
        List<String> missingItems;
        LocalDate supplementReceivedOn;
        int pausedDays;
        String result;
        String resultReasons;
        LocalDate resultDeliveredOn;
        LocalDate termFrom;
        LocalDate termTo;
        Long agreementId;

        private Draft(Application a) {
            this.a = a;
            status = a.status;
            round = a.round;
            roundStartedOn = a.roundStartedOn;
            materialsCompleteOn = a.materialsCompleteOn;
            noticeIssuedOn = a.noticeIssuedOn;
            missingItems = a.missingItems;
            supplementReceivedOn = a.supplementReceivedOn;
            pausedDays = a.pausedDays;
            result = a.result;
            resultReasons = a.resultReasons;
            resultDeliveredOn = a.resultDeliveredOn;
            termFrom = a.termFrom;
            termTo = a.termTo;
            agreementId = a.agreementId;
        }

        Application build() {
            return new Application(a.id, a.kind, a.pharmacyCode, a.regionCode, a.agreementType, a.details, a.legalRepresentative,
                    a.actualController, a.preconditions, status, a.receivedOn, round, roundStartedOn, materialsCompleteOn, noticeIssuedOn,
                    missingItems, supplementReceivedOn, pausedDays, result, resultReasons, resultDeliveredOn, termFrom, termTo, agreementId,
                    a.version + 1);
        }
    }
}
