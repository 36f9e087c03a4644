package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.alert.AlertStore;
import cn.pharmacyclaims.platform.db.DatabaseFailures;

/**
 * Tells a failure worth retrying as it is (the database or the connection is unwell, see
 * {@link DatabaseFailures#isTransient}, or a concurrent writer got in the way) from one that a retry would only repeat
 * (the statement or the data is wrong, or the code failed on a decision).
 */
final class Failures {
    private static final int MAX_DEPTH = 32;

    private Failures() {
    }

    static boolean isTransient(Throwable failure) {
        return concurrentAlert(failure) || DatabaseFailures.isTransient(failure);
    }

    /** Another instance raised some of the batch's alerts meanwhile: run again, the batch sees them and raises the rest. */
    private static boolean concurrentAlert(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) { // bounded: a cause chain may loop
            if (t instanceof AlertStore.ConcurrentAlertException) {
                return true;
            }
        }
        return false;
    }
}
