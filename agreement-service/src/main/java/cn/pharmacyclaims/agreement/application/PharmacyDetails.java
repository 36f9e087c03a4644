package cn.pharmacyclaims.agreement.application;

/** Master data of a pharmacy that is not known yet (a NEW application); stored as the pharmacy when signed. */
public record PharmacyDetails(String name, String address, double lat, double lon, String businessHours) {
}
