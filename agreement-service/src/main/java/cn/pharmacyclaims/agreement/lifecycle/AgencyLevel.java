package cn.pharmacyclaims.agreement.lifecycle;

/**
 * The level of the agency that decides a suspension or termination. AGR-10: a decision at
 * prefecture level or above reaches the pharmacy's agreements in every other region.
 */
public enum AgencyLevel {
    COUNTY, PREFECTURE, PROVINCE;

    /** AGR-10 */
    public boolean cascades() {
        return this != COUNTY;
    }
}
