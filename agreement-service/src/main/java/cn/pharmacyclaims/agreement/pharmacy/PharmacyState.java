package cn.pharmacyclaims.agreement.pharmacy;

import cn.pharmacyclaims.agreement.lifecycle.Agreement;

/** A pharmacy with its current agreement: what agreement.pharmacy-status publishes (AGR-11). */
public record PharmacyState(Pharmacy pharmacy, Agreement agreement) {

    public String code() {
        return pharmacy.code();
    }

    public long version() {
        return pharmacy.version();
    }
}
