package cn.pharmacyclaims.settlement.claim;

import java.time.LocalDate;
import java.util.Optional;

/**
 * CLM-14: a settled settlement may be cancelled only on its sale date (Beijing time, compared with
 * the date on which the cancel is processed) and only while it is not declared (SET-01).
 *
 * <p>Design choice for CLM-15: a timeout reversal of a settled original is "cancelled as in
 * CLM-14", so it follows the same rule. A reversal is a timeout repair that a POS sends within
 * minutes; one that arrives on a later day, or after the declaration, is refused with
 * CANCEL_NOT_ALLOWED and the settlement stands (it is then a matter for the agency, not the counter).
 */
public final class CancelRule {
    private CancelRule() {
    }

    /** Why the undo is refused, or empty when it is allowed. */
    public static Optional<String> refusal(LocalDate saleDate, boolean declared, LocalDate today) {
        if (declared) {
            return Optional.of("the settlement is already declared");
        }
        if (!saleDate.equals(today)) {
            return Optional.of("a settlement can be cancelled only on its sale date " + saleDate
                    + " (Beijing time); today is " + today);
        }
        return Optional.empty();
    }
}
