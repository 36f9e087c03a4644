package cn.pharmacyclaims.settlement.adjudication;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the person's chronic-disease registrations cover an item on the sale date (CLM-07
 * longer supply, CLM-11.4 chronic benefit).
 */
final class ChronicCoverage {
    private ChronicCoverage() {
    }

    /** Disease codes, sorted, that the item covers and for which the person holds a registration valid on the date. */
    static List<String> diseases(Snapshots.Person person, Snapshots.CatalogueItem item, LocalDate saleDate) {
        Set<String> covered = item.chronicDiseases();
        if (person.chronic() == null || covered == null || covered.isEmpty()) {
            return List.of();
        }
        TreeSet<String> out = new TreeSet<>();
        for (Snapshots.ChronicRegistration r : person.chronic()) {
            if (r.diseaseCode() != null && covered.contains(r.diseaseCode()) && validOn(r, saleDate)) {
                out.add(r.diseaseCode());
            }
        }
        return List.copyOf(out);
    }

    /**
     * CLM-11.4: the disease whose benefit pays for the item. With several, the prescription's
     * diagnosis wins when it is one of them (the physician says what the drug is for), else the
     * first by disease code, so that the choice never depends on the order data was loaded in.
     */
    static String chosen(List<String> diseases, String diagnosisCode) {
        if (diseases.isEmpty()) {
            return null;
        }
        if (diagnosisCode != null && diseases.contains(diagnosisCode)) {
            return diagnosisCode;
        }
        return diseases.get(0);
    }

    /** A registration without a start date counts from the beginning of time (open-ended like a null end). */
    private static boolean validOn(Snapshots.ChronicRegistration r, LocalDate d) {
        return r.validFrom() == null ? (r.validTo() == null || !d.isAfter(r.validTo())) : r.validOn(d);
    }
}
