package cn.pharmacyclaims.settlement.adjudication;

import java.math.BigDecimal;

/**
 * The CLM-06/07/08/11 parameters of the region's policy, with DOMAIN.md's defaults where the
 * region configured none (an int of 0 or less, or a null decimal, means "not configured"): the
 * rulebook marks these numbers as defaults a region may change, so a region that does not
 * change one gets the default rather than a zero limit.
 */
record PolicyLimits(int maxDaysSupply, int maxDaysSupplyChronic, BigDecimal refillThreshold,
                    BigDecimal bSelfPayRatio, int maxRxItems, int maxRxValidDays) {

    static final int DEFAULT_MAX_DAYS_SUPPLY = 7;            // CLM-07
    static final int DEFAULT_MAX_DAYS_SUPPLY_CHRONIC = 30;   // CLM-07
    static final BigDecimal DEFAULT_REFILL_THRESHOLD = new BigDecimal("0.80"); // CLM-08
    static final BigDecimal DEFAULT_B_SELF_PAY_RATIO = new BigDecimal("0.10"); // CLM-11.3
    static final int DEFAULT_MAX_RX_ITEMS = 5;               // CLM-06
    static final int DEFAULT_MAX_RX_VALID_DAYS = 3;          // CLM-06

    static PolicyLimits of(Snapshots.Policy p) {
        return new PolicyLimits(
                p.maxDaysSupply() > 0 ? p.maxDaysSupply() : DEFAULT_MAX_DAYS_SUPPLY,
                p.maxDaysSupplyChronic() > 0 ? p.maxDaysSupplyChronic() : DEFAULT_MAX_DAYS_SUPPLY_CHRONIC,
                p.refillThreshold() != null ? p.refillThreshold() : DEFAULT_REFILL_THRESHOLD,
                p.bSelfPayRatio() != null ? p.bSelfPayRatio() : DEFAULT_B_SELF_PAY_RATIO,
                p.maxRxItems() > 0 ? p.maxRxItems() : DEFAULT_MAX_RX_ITEMS,
                p.maxRxValidDays() > 0 ? p.maxRxValidDays() : DEFAULT_MAX_RX_VALID_DAYS);
    }
}
