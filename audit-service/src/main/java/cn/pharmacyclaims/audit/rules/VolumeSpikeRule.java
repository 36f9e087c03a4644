package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * AUD-08 settling for others (为非定点结算): a pharmacy's settled count on one Beijing day exceeds
 * 3 × its trailing 28-day median and is at least 50. Days without settlements count as 0, but only
 * from the pharmacy's first day seen (a newcomer is not judged against days it did not exist), and
 * at least {@code minHistoryDays} of history are needed. One alert per pharmacy and day.
 */
public final class VolumeSpikeRule implements AuditRule {
    public static final String ID = "AUD-08";
    public static final String NAME = "daily volume far above normal";

    private final BigDecimal medianMultiple;
    private final int trailingDays;
    private final int minDailyCount;
    private final int minHistoryDays;

    public VolumeSpikeRule(BigDecimal medianMultiple, int trailingDays, int minDailyCount, int minHistoryDays) {
        this.medianMultiple = medianMultiple;
        this.trailingDays = trailingDays;
        this.minDailyCount = minDailyCount;
        this.minHistoryDays = minHistoryDays;
    }

    @Override
    public String ruleId() {
        return ID;
    }

    public static String dedupeKey(String pharmacyCode, LocalDate day) {
        return ID + "|" + pharmacyCode + "|" + day;
    }

    public int trailingDays() {
        return trailingDays;
    }

    /** The trailing median, or null when there is too little history to judge. */
    public BigDecimal median(Map<LocalDate, Integer> counts, LocalDate day) {
        LocalDate firstSeen = counts.keySet().stream().filter(d -> d.isBefore(day)).min(LocalDate::compareTo).orElse(null);
        if (firstSeen == null) {
            return null;
        }
        List<Integer> values = new ArrayList<>();
        for (int i = 1; i <= trailingDays; i++) {
            LocalDate d = day.minusDays(i);
            if (d.isBefore(firstSeen)) {
                break;
            }
            values.add(counts.getOrDefault(d, 0));
        }
        if (values.size() < minHistoryDays) {
            return null;
        }
        Collections.sort(values);
        int n = values.size();
        BigDecimal m = n % 2 == 1 ? BigDecimal.valueOf(values.get(n / 2))
                : BigDecimal.valueOf(values.get(n / 2 - 1) + values.get(n / 2)).divide(BigDecimal.valueOf(2), 1, RoundingMode.HALF_UP);
        return m;
    }

    /** Whether the day's count is a spike; the intake loads the day's settlements only then. */
    public boolean spiking(Map<LocalDate, Integer> counts, LocalDate day) {
        int today = counts.getOrDefault(day, 0);
        if (today < minDailyCount) {
            return false;
        }
        BigDecimal median = median(counts, day);
        return median != null && BigDecimal.valueOf(today).compareTo(median.multiply(medianMultiple)) > 0;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.settled()) {
            return List.of();
        }
        SettledFact cur = o.current();
        LocalDate day = Beijing.date(cur.at());
        if (!spiking(o.dailyCounts(), day)) {
            return List.of();
        }
        List<SettledFact> facts = o.pharmacyDay().isEmpty() ? List.of(cur) : o.pharmacyDay();
        String evidence = String.format("%s settled %d times on %s, more than %s × its trailing %d-day median of %s",
                cur.pharmacyCode(), o.dailyCounts().get(day), day, medianMultiple.toPlainString(), trailingDays,
                median(o.dailyCounts(), day).toPlainString());
        return List.of(new Finding(ID, NAME, Severity.SUSPICIOUS, BehaviourType.SETTLING_FOR_OTHERS,
                new Subject(cur.pharmacyCode(), null, null, null), o.regionCode(), dedupeKey(cur.pharmacyCode(), day),
                facts.stream().map(SettledFact::involved).toList(), evidence));
    }
}
