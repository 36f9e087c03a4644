package cn.pharmacyclaims.agreement.keychange;

/** AGR-06: the key information whose change must be filed with the agency. */
public enum KeyChangeItem {
    NAME, LEGAL_REPRESENTATIVE, RESPONSIBLE_PERSON, ACTUAL_CONTROLLER, REGISTERED_ADDRESS, BUSINESS_SCOPE
}
