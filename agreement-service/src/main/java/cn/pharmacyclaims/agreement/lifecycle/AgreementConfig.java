package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.agreement.ban.BanRules;
import cn.pharmacyclaims.agreement.deadline.DeadlineRules;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Agreement thresholds (DOMAIN.md marks them "config": each pooling region may change them). */
@ConfigMapping(prefix = "pc.agreement")
public interface AgreementConfig {

    /** AGR-09: the Nth suspension within one term of a GENERAL agreement terminates it. */
    @WithDefault("2")
    int maxSuspensionsGeneral();

    /** AGR-09: the same for SPECIAL_DRUG agreements. */
    @WithDefault("3")
    int maxSuspensionsSpecialDrug();

    /** AGR-09: does a suspension the pharmacy asked for count toward the limit? Design choice: no (被中止 = imposed). */
    @WithDefault("false")
    boolean countPharmacyRequestedSuspensions();

    /** AGR-07: longest pharmacy-requested suspension before the agreement ends. */
    @WithDefault("180")
    int requestedSuspensionMaxDays();

    /** AGR-07 / AGR-09: notice a pharmacy gives before its own suspension or termination takes effect. */
    @WithDefault("3")
    int pharmacyNoticeMonths();

    /** AGR-04: length of an agreement term in months (a new designation or a renewal). */
    @WithDefault("12")
    int termMonths();

    /** AGR-10: the level assumed when a suspension or termination request does not name one. */
    @WithDefault("COUNTY")
    AgencyLevel defaultAgencyLevel();

    Scheduler scheduler();

    Deadlines deadlines();

    Application application();

    Bans bans();

    Sanctions sanctions();

    interface Scheduler {
        /** How often due agreements are looked for; "off" disables the timer (tests drive it by hand). */
        @WithDefault("1m")
        String every();

        /** Rows claimed per transaction. */
        @WithDefault("100")
        int batchSize();
    }

    /** Time limits (DeadlineRules.Settings). */
    interface Deadlines {
        /** AGR-02 */
        @WithDefault("5")
        int incompleteNoticeWorkingDays();

        /** AGR-03 */
        @WithDefault("3")
        int evaluationMonths();

        /** AGR-03: a FAIL may be re-evaluated after this many months, counted from the day the result was delivered. */
        @WithDefault("3")
        int reEvaluationAfterMonths();

        /** AGR-06 */
        @WithDefault("30")
        int keyChangeFilingWorkingDays();

        /** AUD-21: rectification deadline set with an interview. */
        @WithDefault("30")
        int rectificationWorkingDays();

        /** A reminder is recorded this many working days before a deadline. */
        @WithDefault("3")
        int reminderWorkingDays();

        /** AGR-05: renewal applications are accepted from this many months before expiry. */
        @WithDefault("3")
        int renewalWindowMonths();
    }

    /** AGR-01 preconditions. */
    interface Application {
        @WithDefault("3")
        int minMonthsAtAddress();

        @WithDefault("1")
        int minPharmacists();
    }

    /** AGR-12 reapplication bans, in years. */
    interface Bans {
        @WithDefault("1")
        int secondFailedEvaluationYears();

        @WithDefault("3")
        int applicationFraudYears();

        @WithDefault("3")
        int illegalActsYears();

        @WithDefault("1")
        int seriousBreachYears();

        @WithDefault("5")
        int keyPersonYears();
    }

    /** AUD-21 sanctions from audit.sanctions. */
    interface Sanctions {
        /** The level of the deciding agency (AGR-10 cascade); audit decides for the pharmacy's own region. */
        @WithDefault("COUNTY")
        AgencyLevel agencyLevel();

        /** The ladder's window for the displayed count of confirmed cases. */
        @WithDefault("12")
        int ladderWindowMonths();
    }

    default AgreementStateMachine.Rules rules() {
        return new AgreementStateMachine.Rules(maxSuspensionsGeneral(), maxSuspensionsSpecialDrug(),
                countPharmacyRequestedSuspensions(), requestedSuspensionMaxDays());
    }

    default DeadlineRules.Settings deadlineSettings() {
        Deadlines d = deadlines();
        return new DeadlineRules.Settings(d.incompleteNoticeWorkingDays(), d.evaluationMonths(), d.reEvaluationAfterMonths(),
                d.keyChangeFilingWorkingDays(), d.rectificationWorkingDays(), d.reminderWorkingDays(), d.renewalWindowMonths());
    }

    default BanRules banRules() {
        Bans b = bans();
        return new BanRules(b.secondFailedEvaluationYears(), b.applicationFraudYears(), b.illegalActsYears(),
                b.seriousBreachYears(), b.keyPersonYears());
    }
}
