package cn.pharmacyclaims.audit.cases;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A case's current state (AUD-20). The outcome fields are set once, when the case closes:
 * violatingAmount, category, severe (AUD-21) and penaltyAmount for CONFIRMED, reason for either.
 */
public record AuditCase(String caseId, String pharmacyCode, String regionCode, String title, CaseStatus status,
                        String openedBy, OffsetDateTime openedAt, String closedBy, OffsetDateTime closedAt,
                        BigDecimal violatingAmount, BehaviourType category, Boolean severe, BigDecimal penaltyAmount,
                        String closeReason) {
}
