package cn.pharmacyclaims.agreement.lifecycle;

/** AGR-09: special-drug agreements tolerate one more suspension per term than general ones. */
public enum AgreementType {
    GENERAL, SPECIAL_DRUG
}
