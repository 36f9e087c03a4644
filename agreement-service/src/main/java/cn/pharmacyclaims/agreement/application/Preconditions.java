package cn.pharmacyclaims.agreement.application;

/**
 * AGR-01 preconditions as the applicant declares them: a drug retail licence, at least 3 months at
 * the registered address, at least one licensed pharmacist, an insurance manager on staff, and an
 * information system able to settle online.
 */
public record Preconditions(String licenceNumber, int monthsAtAddress, int pharmacists, boolean insuranceManager,
                            boolean onlineSettlement) {
}
