package cn.pharmacyclaims.agreement.ban;

import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;

import java.time.LocalDate;
import java.util.Optional;

/**
 * AGR-12 reapplication bans as plain Java: how long, from when, for which cause.
 *
 * @param secondFailedEvaluationYears 1 year after a second failed evaluation
 * @param applicationFraudYears       3 years after an application obtained by fraud (from discovery)
 * @param illegalActsYears            3 years after termination for illegal acts
 * @param seriousBreachYears          1 year after termination for serious breach
 * @param keyPersonYears              5 years for a key person who caused another pharmacy's termination by serious illegal acts
 */
public record BanRules(int secondFailedEvaluationYears, int applicationFraudYears, int illegalActsYears, int seriousBreachYears,
                       int keyPersonYears) {

    public BanRules {
        if (secondFailedEvaluationYears < 1 || applicationFraudYears < 1 || illegalActsYears < 1 || seriousBreachYears < 1
                || keyPersonYears < 1) {
            throw new IllegalArgumentException("ban lengths must be positive");
        }
    }

    public static BanRules defaults() {
        return new BanRules(1, 3, 3, 1, 5);
    }

    /** A ban period: {@code from} inclusive, {@code until} exclusive (banned while from <= day < until). */
    public record Period(LocalDate from, LocalDate until, String why) {
        public boolean covers(LocalDate day) {
            return !day.isBefore(from) && day.isBefore(until);
        }
    }

    /** AGR-12 after a termination on {@code ground} decided on {@code on}; empty when the ground carries no ban. */
    public Optional<Period> afterTermination(TerminationGround ground, LocalDate on) {
        return switch (ground.banCategory()) {
            case APPLICATION_FRAUD -> Optional.of(new Period(on, on.plusYears(applicationFraudYears),
                    "AGR-12: " + applicationFraudYears + " years after an application obtained by fraud (discovered " + on + ")"));
            case ILLEGAL_ACTS -> Optional.of(new Period(on, on.plusYears(illegalActsYears),
                    "AGR-12: " + illegalActsYears + " years after termination for illegal acts (" + ground + ")"));
            case SERIOUS_BREACH -> Optional.of(new Period(on, on.plusYears(seriousBreachYears),
                    "AGR-12: " + seriousBreachYears + " year(s) after termination for serious breach (" + ground + ")"));
            case NONE -> Optional.empty();
        };
    }

    /** AGR-12 / AGR-03: after the second failed evaluation, counted from the day the result was delivered. */
    public Period afterSecondFailedEvaluation(LocalDate deliveredOn) {
        return new Period(deliveredOn, deliveredOn.plusYears(secondFailedEvaluationYears),
                "AGR-12: " + secondFailedEvaluationYears + " year(s) after a second failed evaluation (" + deliveredOn + ")");
    }

    /** AGR-12: a key person who caused another pharmacy's termination by serious illegal acts. */
    public Period keyPerson(LocalDate from) {
        return new Period(from, from.plusYears(keyPersonYears),
                "AGR-12: " + keyPersonYears + " years for a key person who caused a termination by serious illegal acts");
    }
}
