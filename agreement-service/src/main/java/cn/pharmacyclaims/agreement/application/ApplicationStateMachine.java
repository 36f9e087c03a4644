package cn.pharmacyclaims.agreement.application;

import cn.pharmacyclaims.agreement.deadline.DeadlineRules;
import cn.pharmacyclaims.platform.web.Problem.FieldError;
import cn.pharmacyclaims.platform.web.ProblemException;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static cn.pharmacyclaims.agreement.application.ApplicationStatus.FAILED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.LAPSED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.MATERIALS_INCOMPLETE;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.NEGOTIATION_FAILED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.PASSED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.REJECTED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.SIGNED;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.UNDER_EVALUATION;
import static cn.pharmacyclaims.agreement.application.ApplicationStatus.WITHDRAWN;

/**
 * The application lifecycle (AGR-01 .. AGR-05) as plain Java: each method takes the current
 * application and the facts of the step (dates are Beijing dates, given, never read from a clock)
 * and answers the next value, or throws {@link IllegalApplicationStepException} (409) when the
 * status does not allow the step, or a 400 {@link ProblemException} when the step's dates are in the
 * wrong order. See {@link ApplicationStatus} for the diagram.
 */
public final class ApplicationStateMachine {

    /**
     * @param minMonthsAtAddress AGR-01 (3)
     * @param minPharmacists     AGR-01 (1)
     */
    public record Rules(int minMonthsAtAddress, int minPharmacists, DeadlineRules.Settings deadlines) {
        public static Rules defaults() {
            return new Rules(3, 1, DeadlineRules.Settings.defaults());
        }
    }

    private final Rules rules;

    public ApplicationStateMachine(Rules rules) {
        this.rules = rules;
    }

    public Rules rules() {
        return rules;
    }

    /** AGR-01: every precondition the application does not meet, named by its field; empty when all are met. */
    public List<FieldError> unmetPreconditions(Preconditions p) {
        List<FieldError> unmet = new ArrayList<>();
        if (p.licenceNumber() == null || p.licenceNumber().isBlank()) {
            unmet.add(new FieldError("preconditions.licenceNumber", "AGR-01: a drug retail licence is required"));
        }
        if (p.monthsAtAddress() < rules.minMonthsAtAddress()) {
            unmet.add(new FieldError("preconditions.monthsAtAddress", "AGR-01: operating at the registered address for at least "
                    + rules.minMonthsAtAddress() + " months is required, declared " + p.monthsAtAddress()));
        }
        if (p.pharmacists() < rules.minPharmacists()) {
            unmet.add(new FieldError("preconditions.pharmacists", "AGR-01: at least " + rules.minPharmacists()
                    + " licensed pharmacist(s) on staff are required, declared " + p.pharmacists()));
        }
        if (!p.insuranceManager()) {
            unmet.add(new FieldError("preconditions.insuranceManager", "AGR-01: an insurance manager on staff is required"));
        }
        if (!p.onlineSettlement()) {
            unmet.add(new FieldError("preconditions.onlineSettlement", "AGR-01: an information system able to settle online is required"));
        }
        return unmet;
    }

    /** AGR-02: the materials are complete; no notice is due. Only before any notice, in the first round. */
    public ApplicationTransition confirmComplete(Application a, LocalDate on) {
        ApplicationAction action = ApplicationAction.CONFIRM_COMPLETE;
        requireOneOf(a, action, UNDER_EVALUATION);
        if (a.round() != 1 || a.noticeIssuedOn() != null || a.materialsCompleteOn() != null) {
            throw new IllegalApplicationStepException(a, action, a.noticeIssuedOn() != null
                    ? "a notice of incomplete materials was issued on " + a.noticeIssuedOn()
                    : a.materialsCompleteOn() != null ? "the materials were confirmed complete on " + a.materialsCompleteOn()
                    : "completeness is checked on receipt, not in a re-evaluation");
        }
        notBefore(on, a.receivedOn(), "confirmedOn", "the receipt");
        Application.Draft d = a.draft();
        d.materialsCompleteOn = on;
        return new ApplicationTransition(a, d.build(), action, "AGR-02", null);
    }

    /**
     * AGR-02: one notice telling everything that is missing; the evaluation clock stops until the
     * pharmacy supplements (AGR-03). A second notice is refused: everything goes in the one notice.
     */
    public ApplicationTransition noticeIncomplete(Application a, LocalDate on, List<String> missing) {
        ApplicationAction action = ApplicationAction.NOTICE_INCOMPLETE;
        requireOneOf(a, action, UNDER_EVALUATION);
        if (a.noticeIssuedOn() != null) {
            throw new IllegalApplicationStepException(a, action, "AGR-02: everything missing is told in one notice, issued on "
                    + a.noticeIssuedOn());
        }
        if (a.materialsCompleteOn() != null || a.round() != 1) {
            throw new IllegalApplicationStepException(a, action, a.round() != 1
                    ? "completeness is checked on receipt, not in a re-evaluation"
                    : "the materials were confirmed complete on " + a.materialsCompleteOn());
        }
        if (missing == null || missing.isEmpty() || missing.stream().anyMatch(m -> m == null || m.isBlank())) {
            throw ProblemException.badRequest("the notice must list what is missing",
                    List.of(new FieldError("missingItems", "AGR-02: list everything that is missing, one item each")));
        }
        notBefore(on, a.receivedOn(), "issuedOn", "the receipt");
        Application.Draft d = a.draft();
        d.status = MATERIALS_INCOMPLETE;
        d.noticeIssuedOn = on;
        d.missingItems = List.copyOf(missing.stream().map(String::strip).toList());
        return new ApplicationTransition(a, d.build(), action, "AGR-02", null);
    }

    /** AGR-02 / AGR-03: the supplement arrived; the days since the notice do not count toward the evaluation limit. */
    public ApplicationTransition supplementReceived(Application a, LocalDate on) {
        ApplicationAction action = ApplicationAction.SUPPLEMENT_RECEIVED;
        requireOneOf(a, action, MATERIALS_INCOMPLETE);
        notBefore(on, a.noticeIssuedOn(), "receivedOn", "the notice");
        Application.Draft d = a.draft();
        d.status = UNDER_EVALUATION;
        d.supplementReceivedOn = on;
        int days = (int) ChronoUnit.DAYS.between(a.noticeIssuedOn(), on);
        d.pausedDays = a.pausedDays() + days;
        return new ApplicationTransition(a, d.build(), action, "AGR-03",
                "AGR-03: " + days + " days of supplement time excluded from the evaluation limit");
    }

    /** AGR-03: PASS, or FAIL with reasons; a second FAIL rejects the application (and bans, AGR-12). */
    public ApplicationTransition evaluate(Application a, boolean pass, String reasons, LocalDate deliveredOn) {
        ApplicationAction action = ApplicationAction.EVALUATE;
        requireOneOf(a, action, UNDER_EVALUATION);
        if (reasons == null || reasons.isBlank()) {
            throw ProblemException.badRequest("an evaluation result needs its reasons",
                    List.of(new FieldError("reasons", "AGR-03: the result is given with reasons")));
        }
        notBefore(deliveredOn, a.roundStartedOn(), "deliveredOn", "the start of the evaluation");
        if (a.supplementReceivedOn() != null) {
            notBefore(deliveredOn, a.supplementReceivedOn(), "deliveredOn", "the supplement");
        }
        Application.Draft d = a.draft();
        d.result = pass ? "PASS" : "FAIL";
        d.resultReasons = reasons.strip();
        d.resultDeliveredOn = deliveredOn;
        String note = null;
        if (pass) {
            d.status = PASSED;
        } else if (a.round() == 1) {
            d.status = FAILED;
            note = "AGR-03: may be re-evaluated from " + DeadlineRules.reEvaluationFrom(deliveredOn, rules.deadlines());
        } else {
            d.status = REJECTED;
            note = "AGR-03 / AGR-12: second failed evaluation; reapplication banned";
        }
        return new ApplicationTransition(a, d.build(), action, "AGR-03", note);
    }

    /** AGR-03: a FAIL may be re-evaluated after 3 months of rectification counted from delivery of the result. */
    public ApplicationTransition reEvaluate(Application a, LocalDate today) {
        ApplicationAction action = ApplicationAction.RE_EVALUATE;
        requireOneOf(a, action, FAILED);
        LocalDate from = DeadlineRules.reEvaluationFrom(a.resultDeliveredOn(), rules.deadlines());
        if (today.isBefore(from)) {
            throw new IllegalApplicationStepException(a, action, "AGR-03: re-evaluation only after " + rules.deadlines().reEvaluationAfterMonths()
                    + " months of rectification counted from " + a.resultDeliveredOn() + ", i.e. from " + from);
        }
        Application.Draft d = a.draft();
        d.status = UNDER_EVALUATION;
        d.round = 2;
        d.roundStartedOn = today;
        d.result = null;
        d.resultReasons = null;
        d.resultDeliveredOn = null;
        return new ApplicationTransition(a, d.build(), action, "AGR-03",
                "AGR-03: re-evaluation after the FAIL delivered on " + a.resultDeliveredOn());
    }

    /** AGR-04: a PASS is negotiated and signed for the given term. */
    public ApplicationTransition sign(Application a, LocalDate termFrom, LocalDate termTo, Long agreementId) {
        ApplicationAction action = ApplicationAction.SIGN;
        requireOneOf(a, action, PASSED);
        Application.Draft d = a.draft();
        d.status = SIGNED;
        d.termFrom = termFrom;
        d.termTo = termTo;
        d.agreementId = agreementId;
        return new ApplicationTransition(a, d.build(), action, a.kind() == ApplicationKind.RENEWAL ? "AGR-05" : "AGR-04",
                (a.kind() == ApplicationKind.RENEWAL ? "AGR-05: renewal" : "AGR-04: agreement") + " signed for " + termFrom + ".." + termTo
                        + (agreementId == null ? "; the term starts when the current one ends" : ""));
    }

    /** AGR-04: the negotiation did not lead to an agreement. */
    public ApplicationTransition decline(Application a) {
        ApplicationAction action = ApplicationAction.DECLINE;
        requireOneOf(a, action, PASSED);
        Application.Draft d = a.draft();
        d.status = NEGOTIATION_FAILED;
        return new ApplicationTransition(a, d.build(), action, "AGR-04", null);
    }

    /** The applicant withdraws. Not after a FAIL: that would escape the second evaluation (AGR-12). */
    public ApplicationTransition withdraw(Application a) {
        ApplicationAction action = ApplicationAction.WITHDRAW;
        requireOneOf(a, action, UNDER_EVALUATION, MATERIALS_INCOMPLETE, PASSED);
        Application.Draft d = a.draft();
        d.status = WITHDRAWN;
        return new ApplicationTransition(a, d.build(), action, "AGR-01", null);
    }

    /** AGR-05: the signed renewal's new term started. */
    public ApplicationTransition startTerm(Application a, long agreementId) {
        ApplicationAction action = ApplicationAction.START_TERM;
        requireOneOf(a, action, SIGNED);
        if (a.agreementId() != null) {
            throw new IllegalApplicationStepException(a, action, "the term already started (agreement " + a.agreementId() + ")");
        }
        Application.Draft d = a.draft();
        d.agreementId = agreementId;
        return new ApplicationTransition(a, d.build(), action, "AGR-05", null);
    }

    /** AGR-05 / AGR-07: a signed renewal whose term cannot start; the old agreement ends at expiry. */
    public ApplicationTransition lapse(Application a, String why) {
        ApplicationAction action = ApplicationAction.LAPSE;
        requireOneOf(a, action, SIGNED);
        if (a.agreementId() != null) {
            throw new IllegalApplicationStepException(a, action, "the term already started");
        }
        Application.Draft d = a.draft();
        d.status = LAPSED;
        return new ApplicationTransition(a, d.build(), action, "AGR-05", why);
    }

    private static void notBefore(LocalDate day, LocalDate earliest, String field, String what) {
        if (day.isBefore(earliest)) {
            throw ProblemException.badRequest("dates in the wrong order",
                    List.of(new FieldError(field, day + " is before " + what + " on " + earliest)));
        }
    }

    private static void requireOneOf(Application a, ApplicationAction action, ApplicationStatus... allowed) {
        for (ApplicationStatus s : allowed) {
            if (a.status() == s) {
                return;
            }
        }
        String why = switch (a.status()) {
            case REJECTED -> "a second failed evaluation is final (AGR-03, AGR-12)";
            case SIGNED, NEGOTIATION_FAILED, WITHDRAWN, LAPSED -> "the application is closed";
            default -> "allowed only from " + java.util.Arrays.toString(allowed);
        };
        throw new IllegalApplicationStepException(a, action, why);
    }

    static boolean open(ApplicationStatus s) {
        return s == UNDER_EVALUATION || s == MATERIALS_INCOMPLETE || s == PASSED || s == FAILED;
    }
}
