package cn.pharmacyclaims.settlement.claim;

/** A record on the command topic that cannot be a command: it goes to the dead-letter topic, untried. */
public class InvalidCommand extends RuntimeException {
    public InvalidCommand(String message) {
        super(message);
    }
}
