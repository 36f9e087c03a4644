package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.deadline.DeadlineRules;
import cn.pharmacyclaims.agreement.deadline.TrackedDeadline;
import cn.pharmacyclaims.agreement.history.RecordEntry;
import cn.pharmacyclaims.agreement.lifecycle.AgreementType;

import java.time.LocalDate;
import java.util.List;

/**
 * An application as staff see it: its state, its deadlines (with their provisional flag) and its full
 * history (SEC-04). Identity numbers are masked (AUD-23).
 *
 * @param reEvaluationFrom AGR-03: after a FAIL, the first day a re-evaluation may start
 */
public record ApplicationView(long id, ApplicationKind kind, String pharmacyCode, String regionCode, AgreementType agreementType,
                              PharmacyDetails pharmacy, String legalRepresentative, String actualController, Preconditions preconditions,
                              ApplicationStatus status, LocalDate receivedOn, int evaluationRound, LocalDate roundStartedOn,
                              LocalDate materialsCompleteOn, LocalDate noticeIssuedOn, List<String> missingItems,
                              LocalDate supplementReceivedOn, int pausedDays, String result, String resultReasons,
                              LocalDate resultDeliveredOn, LocalDate reEvaluationFrom, LocalDate termFrom, LocalDate termTo,
                              Long agreementId, long version, List<TrackedDeadline> deadlines, List<RecordEntry> history) {

    public static ApplicationView of(Application a, List<TrackedDeadline> deadlines, List<RecordEntry> history,
                                     DeadlineRules.Settings settings) {
        LocalDate reEval = "FAIL".equals(a.result()) && a.resultDeliveredOn() != null
                ? DeadlineRules.reEvaluationFrom(a.resultDeliveredOn(), settings) : null;
        return new ApplicationView(a.id(), a.kind(), a.pharmacyCode(), a.regionCode(), a.agreementType(), a.details(),
                a.legalRepresentative() == null ? null : a.legalRepresentative().masked(),
                a.actualController() == null ? null : a.actualController().masked(), a.preconditions(), a.status(), a.receivedOn(),
                a.round(), a.roundStartedOn(), a.materialsCompleteOn(), a.noticeIssuedOn(), a.missingItems(), a.supplementReceivedOn(),
                a.pausedDays(), a.result(), a.resultReasons(), a.resultDeliveredOn(), reEval, a.termFrom(), a.termTo(), a.agreementId(),
                a.version(), deadlines, history);
    }

    /** The short form listed in the pharmacy view. */
    public record Summary(long id, ApplicationKind kind, String regionCode, ApplicationStatus status, LocalDate receivedOn, String result,
                          Long agreementId) {
        public static Summary of(Application a) {
            return new Summary(a.id(), a.kind(), a.regionCode(), a.status(), a.receivedOn(), a.result(), a.agreementId());
        }
    }
}
