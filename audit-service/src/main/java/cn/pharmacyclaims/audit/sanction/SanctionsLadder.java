package cn.pharmacyclaims.audit.sanction;

import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.common.events.SanctionRequested.Level;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;

import java.time.OffsetDateTime;
import java.time.Period;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * AUD-21 sanctions ladder as plain Java: which rung a confirmed case reaches, from the pharmacy's
 * confirmed cases in the rolling window (this one included) and the confirmed category.
 */
public final class SanctionsLadder {

    public record Settings(Period window, int settlementHoldFrom, int suspensionFrom, Set<BehaviourType> severeCategories) {
        public Settings {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("pc.audit.sanctions.window must be positive");
            }
            if (settlementHoldFrom < 2 || suspensionFrom <= settlementHoldFrom) {
                throw new IllegalArgumentException("pc.audit.sanctions: need 2 <= settlement-hold-from < suspension-from, got "
                        + settlementHoldFrom + " and " + suspensionFrom);
            }
            severeCategories = severeCategories == null || severeCategories.isEmpty()
                    ? Set.of() : Set.copyOf(EnumSet.copyOf(severeCategories));
        }
    }

    /** The rung reached: the sanction to request, and the count that led to it. */
    public record Rung(Level level, boolean policeReferral, int confirmedCasesInWindow, boolean severe, String reason) {
    }

    private final Settings settings;

    public SanctionsLadder(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** AUD-21: the categories named by the rule (cashing out, forged prescriptions, swapping goods, settling for others). */
    public boolean severe(BehaviourType category) {
        return settings.severeCategories().contains(category);
    }

    /**
     * Start of the rolling window ending at {@code now}, exclusive: a case confirmed exactly one window
     * ago no longer counts. Months are calendar months in Beijing time (31 March minus 1 month is 28/29 February).
     */
    public OffsetDateTime windowStart(OffsetDateTime now) {
        return now.atZoneSameInstant(Beijing.ZONE).minus(settings.window()).toOffsetDateTime();
    }

    /** Confirmations in (now − window, now]; later ones (clock skew between instances) count as now. */
    public int countInWindow(Collection<OffsetDateTime> confirmedAt, OffsetDateTime now) {
        OffsetDateTime start = windowStart(now);
        int n = 0;
        for (OffsetDateTime t : confirmedAt) {
            if (t != null && t.isAfter(start)) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param confirmedInWindow the pharmacy's confirmed cases in the window, this one included (at least 1)
     */
    public Rung decide(String caseId, BehaviourType category, int confirmedInWindow) {
        if (confirmedInWindow < 1) {
            throw new IllegalArgumentException("the case being confirmed counts itself: " + confirmedInWindow);
        }
        String counted = ordinal(confirmedInWindow) + " confirmed case in " + describe(settings.window());
        String head = "AUD-21: case " + caseId + " confirmed as " + category + "; " + counted;
        if (severe(category)) {
            return new Rung(Level.TERMINATION, true, confirmedInWindow, true,
                    head + "; " + severeName(category) + " is a severe violation: termination (AGR-09) and police referral");
        }
        if (confirmedInWindow >= settings.suspensionFrom()) {
            return new Rung(Level.SUSPENSION, false, confirmedInWindow, false, head + ": suspension (AGR-07)");
        }
        if (confirmedInWindow >= settings.settlementHoldFrom()) {
            return new Rung(Level.SETTLEMENT_HOLD, false, confirmedInWindow, false,
                    head + ": settlement hold until rectified (AGR-08)");
        }
        return new Rung(Level.INTERVIEW, false, confirmedInWindow, false, head + ": interview and rectification deadline");
    }

    static String severeName(BehaviourType category) {
        return switch (category) {
            case CASH_OUT -> "cashing out";
            case PRESCRIPTION_FRAUD -> "forged prescriptions";
            case NON_MEDICAL_GOODS, STOCK_MISMATCH -> "swapping goods";
            case SETTLING_FOR_OTHERS -> "settling for others";
            default -> category.name();
        };
    }

    static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private static String describe(Period p) {
        if (p.getDays() == 0) {
            return p.toTotalMonths() + " months";
        }
        return p.toString();
    }
}
