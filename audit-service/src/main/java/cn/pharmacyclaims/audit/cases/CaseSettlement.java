package cn.pharmacyclaims.audit.cases;

/**
 * SET-03, for the finance part: a settlement behind a case. OPEN = withheld until the case closes,
 * CONFIRMED = never paid (recovered if already paid), DISMISSED = released.
 */
public record CaseSettlement(String caseId, String setlId, String msgId, String pharmacyCode, CaseStatus status) {
}
