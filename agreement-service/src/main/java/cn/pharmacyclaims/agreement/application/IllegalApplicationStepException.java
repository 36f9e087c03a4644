package cn.pharmacyclaims.agreement.application;

/** A step the application's current status does not allow; answered as a 409 problem naming both. */
public class IllegalApplicationStepException extends RuntimeException {
    private final long applicationId;
    private final ApplicationStatus currentStatus;
    private final ApplicationAction action;

    public IllegalApplicationStepException(Application a, ApplicationAction action, String why) {
        super("application " + a.id() + ": cannot " + action.label() + " an application that is " + a.status() + ": " + why);
        this.applicationId = a.id();
        this.currentStatus = a.status();
        this.action = action;
    }

    public long applicationId() {
        return applicationId;
    }

    public ApplicationStatus currentStatus() {
        return currentStatus;
    }

    public ApplicationAction action() {
        return action;
    }
}
