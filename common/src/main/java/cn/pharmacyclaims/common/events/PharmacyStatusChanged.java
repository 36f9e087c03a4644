package cn.pharmacyclaims.common.events;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * AGR-11, on the compacted {@code agreement.pharmacy-status} topic, key pharmacyCode: the full
 * current state of one pharmacy (not a delta), so a consumer that reads the topic from the start
 * holds every pharmacy's latest status. {@code version} grows with every change; consumers ignore
 * an event older than the one they hold.
 */
public record PharmacyStatusChanged(
        String pharmacyCode,
        String name,
        String regionCode,
        String address,
        Double lat,
        Double lon,
        String businessHours,
        PharmacyStatus status,
        String agreementType,
        LocalDate validFrom,
        LocalDate validTo,
        long version,
        OffsetDateTime changedAt,
        String reason) {
}
