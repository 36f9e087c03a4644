package cn.pharmacyclaims.audit.pharmacy;

/**
 * Audit's local copy of what it needs about a pharmacy (from {@code agreement.pharmacy-status}):
 * where it is (AUD-02 distances) and when it is open (AUD-06). No names: alerts never need them.
 */
public record Pharmacy(String pharmacyCode, String regionCode, Double lat, Double lon, BusinessHours businessHours,
                       String status, long version) {

    public boolean located() {
        return lat != null && lon != null;
    }
}
