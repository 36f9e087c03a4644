package cn.pharmacyclaims.audit.alert;

import java.time.OffsetDateTime;

/** Filters of the auditor's alert list; null means "any". */
public record AlertQuery(String pharmacyCode, String ruleId, OffsetDateTime from, OffsetDateTime to, int limit) {
}
