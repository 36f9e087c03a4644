package cn.pharmacyclaims.audit.cases;

/** AUD-20: a case is OPEN until an auditor closes it as CONFIRMED (a violation) or DISMISSED. */
public enum CaseStatus { OPEN, CONFIRMED, DISMISSED }
