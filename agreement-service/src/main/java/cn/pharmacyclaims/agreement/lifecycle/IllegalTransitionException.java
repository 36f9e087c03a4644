package cn.pharmacyclaims.agreement.lifecycle;

import cn.pharmacyclaims.common.events.PharmacyStatus;

/** An action the agreement's current status does not allow; answered as a 409 problem naming both. */
public class IllegalTransitionException extends RuntimeException {
    private final PharmacyStatus currentStatus;
    private final Action action;

    public IllegalTransitionException(PharmacyStatus currentStatus, Action action, String why) {
        super("cannot " + action.label() + " an agreement that is " + currentStatus + ": " + why);
        this.currentStatus = currentStatus;
        this.action = action;
    }

    public PharmacyStatus currentStatus() {
        return currentStatus;
    }

    public Action action() {
        return action;
    }
}
