package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.audit.pharmacy.Pharmacy;
import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * AUD-02 card misuse / impersonation (盗刷, 冒名): one person settled at ≥ 3 distinct pharmacies
 * within 60 min, or at two pharmacies more than 50 km apart (haversine on the local pharmacy
 * locations) within 30 min. Both are one pattern of one person: one alert per person and 60-min
 * bucket of the first settlement involved.
 */
public final class ImpersonationRule implements AuditRule {
    public static final String ID = "AUD-02";
    public static final String NAME_DISTANT = "card used at distant pharmacies";
    public static final String NAME_MANY = "card used at many pharmacies";

    private final int minPharmacies;
    private final Duration window;
    private final double maxDistanceKm;
    private final Duration distanceWindow;

    public ImpersonationRule(int minPharmacies, Duration window, double maxDistanceKm, Duration distanceWindow) {
        this.minPharmacies = minPharmacies;
        this.window = window;
        this.maxDistanceKm = maxDistanceKm;
        this.distanceWindow = distanceWindow;
    }

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.settled() || o.current().psnNo() == null) {
            return List.of();
        }
        SettledFact cur = o.current();
        List<SettledFact> history = o.personHistory().stream().filter(f -> cur.psnNo().equals(f.psnNo())).toList();
        Optional<Finding> distant = distant(o, cur, history);
        if (distant.isPresent()) {
            return List.of(distant.get());
        }
        return Windows.earliest(history, cur.at(), window, w -> Windows.distinct(w, SettledFact::pharmacyCode) >= minPharmacies)
                .map(w -> List.of(many(o, cur, w)))
                .orElse(List.of());
    }

    private Optional<Finding> distant(Observation o, SettledFact cur, List<SettledFact> history) {
        Pharmacy here = o.pharmacies().getOrDefault(cur.pharmacyCode(), o.pharmacy());
        if (here == null || !here.located()) {
            return Optional.empty();
        }
        SettledFact best = null;
        double bestKm = 0;
        for (SettledFact f : history) {
            if (f.pharmacyCode() == null || f.pharmacyCode().equals(cur.pharmacyCode())
                    || Duration.between(f.at(), cur.at()).abs().compareTo(distanceWindow) > 0) {
                continue;
            }
            Pharmacy there = o.pharmacies().get(f.pharmacyCode());
            if (there == null || !there.located()) {
                continue;
            }
            double km = Geo.km(here.lat(), here.lon(), there.lat(), there.lon());
            if (km > maxDistanceKm && km > bestKm) {
                best = f;
                bestKm = km;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        SettledFact first = best.at().isAfter(cur.at()) ? cur : best;
        SettledFact second = first == cur ? best : cur;
        String evidence = String.format("person %s settled at %s %s and %s (%d km) %s, %d min apart",
                cur.psnNo(), first.pharmacyCode(), Beijing.hm(first.at()), second.pharmacyCode(), Math.round(bestKm),
                Beijing.hm(second.at()), Duration.between(first.at(), second.at()).toMinutes());
        return Optional.of(finding(o, cur, NAME_DISTANT, List.of(first, second), evidence));
    }

    private Finding many(Observation o, SettledFact cur, List<SettledFact> w) {
        Set<String> codes = w.stream().map(SettledFact::pharmacyCode).collect(Collectors.toCollection(LinkedHashSet::new));
        String visits = w.stream().map(f -> f.pharmacyCode() + " " + Beijing.hm(f.at())).collect(Collectors.joining(", "));
        String evidence = String.format("person %s settled at %d pharmacies within %d min: %s",
                cur.psnNo(), codes.size(), window.toMinutes(), visits);
        return finding(o, cur, NAME_MANY, w, evidence);
    }

    private Finding finding(Observation o, SettledFact cur, String name, List<SettledFact> facts, String evidence) {
        List<Involved> involved = new ArrayList<>();
        facts.forEach(f -> involved.add(f.involved()));
        String key = ID + "|" + cur.psnNo() + "|" + Beijing.bucket(facts.get(0).at(), window);
        Subject subject = new Subject(cur.pharmacyCode(), cur.psnNo(), cur.terminalId(), null);
        return new Finding(ID, name, Severity.HIGHLY_SUSPICIOUS, BehaviourType.IMPERSONATION, subject,
                o.regionCode(), key, involved, evidence);
    }
}
