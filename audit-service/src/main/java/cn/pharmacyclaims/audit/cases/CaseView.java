package cn.pharmacyclaims.audit.cases;

import cn.pharmacyclaims.common.events.SanctionRequested;
import cn.pharmacyclaims.common.events.ViolationAlert;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What an auditor sees of a case: the case ({@link AuditCase}'s fields), its alerts (people by
 * psnNo only, never names or ID-card numbers, AUD-23), the settlements it withholds or condemns
 * (SET-03), every step (SEC-04) and the sanction it led to, if any (AUD-21).
 */
public record CaseView(String caseId, String pharmacyCode, String regionCode, String title, CaseStatus status,
                       String openedBy, OffsetDateTime openedAt, String closedBy, OffsetDateTime closedAt,
                       BigDecimal violatingAmount, BehaviourType category, Boolean severe, BigDecimal penaltyAmount,
                       String closeReason, List<ViolationAlert> alerts, List<CaseSettlement> settlements,
                       List<CaseEvent> events, SanctionRequested sanction) {

    public static CaseView of(AuditCase c, List<ViolationAlert> alerts, List<CaseSettlement> settlements,
                              List<CaseEvent> events, SanctionRequested sanction) {
        return new CaseView(c.caseId(), c.pharmacyCode(), c.regionCode(), c.title(), c.status(), c.openedBy(), c.openedAt(),
                c.closedBy(), c.closedAt(), c.violatingAmount(), c.category(), c.severe(), c.penaltyAmount(), c.closeReason(),
                alerts, settlements, events, sanction);
    }
}
