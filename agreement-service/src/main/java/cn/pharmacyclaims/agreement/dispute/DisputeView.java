package cn.pharmacyclaims.agreement.dispute;

import java.time.OffsetDateTime;

/**
 * AGR-13: a dispute recorded against a decision, named by its history entry: {@code historyId} (an
 * agreement status change) or {@code recordId} (another recorded decision, e.g. a failed evaluation).
 */
public record DisputeView(long id, String pharmacyCode, String kind, Long historyId, Long recordId, String text, String filedBy,
                          OffsetDateTime filedAt) {
}
