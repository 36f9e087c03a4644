package cn.pharmacyclaims.audit.cases;

import java.time.OffsetDateTime;
import java.util.Map;

/** One step of a case: who, when, why (SEC-04); {@code details} holds its figures (alert ids, amounts, category, sanction). */
public record CaseEvent(long seq, CaseEventType type, String actor, OffsetDateTime at, String text, String evidence,
                        Map<String, Object> details) {
}
