package cn.pharmacyclaims.common.events;

/** Agreement status of a pharmacy as the settlement path sees it (CLM-02, AGR-07..09). */
public enum PharmacyStatus {
    ACTIVE, SETTLEMENT_HOLD, SUSPENDED, TERMINATED, EXPIRED;

    public boolean settles(boolean holdAllowsSettlement) {
        return this == ACTIVE || (this == SETTLEMENT_HOLD && holdAllowsSettlement);
    }
}
