package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;

/** An {@link IllegalTransitionException} for a named pharmacy, answered as 409 by {@link TransitionProblems}. */
public class TransitionRefusedException extends RuntimeException {
    private final String pharmacyCode;
    private final PharmacyStatus currentStatus;
    private final Action action;

    public TransitionRefusedException(String pharmacyCode, IllegalTransitionException cause) {
        super(pharmacyCode + ": " + cause.getMessage(), cause);
        this.pharmacyCode = pharmacyCode;
        this.currentStatus = cause.currentStatus();
        this.action = cause.action();
    }

    public String pharmacyCode() {
        return pharmacyCode;
    }

    public PharmacyStatus currentStatus() {
        return currentStatus;
    }

    public Action action() {
        return action;
    }
}
