package cn.pharmacyclaims.audit;

import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Unique ids per test, so that tests never see each other's data. */
public final class Ids {
    private Ids() {
    }

    public static String psn() {
        return "it" + Math.abs(ThreadLocalRandom.current().nextLong());
    }

    public static String pharmacy() {
        return "P" + String.format("%011d", ThreadLocalRandom.current().nextLong(100_000_000_000L));
    }

    public static String terminal() {
        return "T-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Yesterday (Beijing) at the given time: recent enough for the windows, clear of midnight. */
    public static OffsetDateTime yesterdayAt(int hour, int minute) {
        return LocalDate.now(Beijing.ZONE).minusDays(1).atTime(hour, minute).atZone(Beijing.ZONE).toOffsetDateTime();
    }

    public static PharmacyStatusChanged pharmacyStatus(String code, Double lat, Double lon, String hours, long version) {
        return new PharmacyStatusChanged(code, "Pharmacy " + code, "440105", "1 Test Road", lat, lon, hours,
                PharmacyStatus.ACTIVE, "GENERAL", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31), version,
                OffsetDateTime.now(Beijing.ZONE), "test");
    }
}
