package cn.pharmacyclaims.agreement.application;

/** AGR-01 a new designation (in a region where the pharmacy holds no running agreement), AGR-05 a renewal. */
public enum ApplicationKind {
    NEW, RENEWAL
}
