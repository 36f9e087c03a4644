package cn.pharmacyclaims.agreement.pharmacy;

/**
 * A designated pharmacy's master data (AUD-06 reads its business hours, AUD-02 its location).
 *
 * @param version version of the published state (AGR-11), shared by the pharmacy and its current agreement
 */
public record Pharmacy(String code, String name, String regionCode, String address, double lat, double lon,
                       String businessHours, long version) {

    public Pharmacy withVersion(long v) {
        return new Pharmacy(code, name, regionCode, address, lat, lon, businessHours, v);
    }

    /** Same master data, whatever the version. */
    public boolean sameDataAs(Pharmacy o) {
        return code.equals(o.code) && name.equals(o.name) && regionCode.equals(o.regionCode) && address.equals(o.address)
                && Double.compare(lat, o.lat) == 0 && Double.compare(lon, o.lon) == 0 && businessHours.equals(o.businessHours);
    }
}
