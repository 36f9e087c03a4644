package cn.pharmacyclaims.audit.sanction;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Period;
import java.util.Set;

/**
 * AUD-21 sanctions ladder (config). Defaults are DOMAIN.md's: counted per pharmacy over a rolling
 * 12 months by confirmation time; 1st confirmed case: interview and rectification deadline, 2nd:
 * settlement hold, 3rd and more: suspension; a severe category: termination with police referral.
 * Versioning by effective date is not done yet: a change applies from the next confirmation.
 */
@ConfigMapping(prefix = "pc.audit.sanctions")
public interface SanctionsConfig {

    /** The rolling window confirmed cases are counted over. */
    @WithDefault("P12M")
    Period window();

    /** From this many confirmed cases in the window: SETTLEMENT_HOLD (AGR-08). */
    @WithDefault("2")
    int settlementHoldFrom();

    /** From this many confirmed cases in the window: SUSPENSION (AGR-07). */
    @WithDefault("3")
    int suspensionFrom();

    /**
     * Confirmed categories that lead to TERMINATION (AGR-09) with a police referral whatever the count:
     * cashing out (CASH_OUT), forged prescriptions (PRESCRIPTION_FRAUD), swapping goods
     * (NON_MEDICAL_GOODS, i.e. 以物代药, and STOCK_MISMATCH, i.e. 串换), settling for others.
     */
    @WithDefault("CASH_OUT,PRESCRIPTION_FRAUD,NON_MEDICAL_GOODS,STOCK_MISMATCH,SETTLING_FOR_OTHERS")
    Set<BehaviourType> severeCategories();

    default SanctionsLadder ladder() {
        return new SanctionsLadder(new SanctionsLadder.Settings(window(), settlementHoldFrom(), suspensionFrom(),
                severeCategories()));
    }
}
