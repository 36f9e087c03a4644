package cn.pharmacyclaims.agreement.sanction;

import cn.pharmacyclaims.agreement.lifecycle.TerminationGround;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * AUD-21: a sanction received from audit and what was done with it.
 *
 * @param applied false when the sanction could not apply in the pharmacy's state (recorded, never retried)
 * @param outcome what was done, or why nothing was
 */
public record SanctionView(String sanctionId, String pharmacyCode, String regionCode, String level, boolean policeReferral,
                           String caseId, String reason, Integer confirmedCasesIn12Months, String decidedBy, OffsetDateTime decidedAt,
                           boolean applied, String outcome, TerminationGround ground, Long deadlineId, LocalDate rectificationDue,
                           LocalDate rectifiedOn, String rectifiedBy, OffsetDateTime receivedAt) {
}
