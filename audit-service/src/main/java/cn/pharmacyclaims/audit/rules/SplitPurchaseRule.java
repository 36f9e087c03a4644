package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AUD-03 split purchases (分解): same person and pharmacy, ≥ 2 settlements within 30 min whose
 * summed days of supply for one item exceed CLM-07's limit (7 days, 30 when the line was paid under
 * the chronic benefit). One alert per person, pharmacy and 30-min bucket, naming every split item.
 */
public final class SplitPurchaseRule implements AuditRule {
    public static final String ID = "AUD-03";
    public static final String NAME = "split purchases";

    private final int minSettlements;
    private final Duration window;
    private final int maxDays;
    private final int maxDaysChronic;

    public SplitPurchaseRule(int minSettlements, Duration window, int maxDays, int maxDaysChronic) {
        this.minSettlements = minSettlements;
        this.window = window;
        this.maxDays = maxDays;
        this.maxDaysChronic = maxDaysChronic;
    }

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.settled()) {
            return List.of();
        }
        SettledFact cur = o.current();
        List<SettledFact> here = o.personHistory().stream()
                .filter(f -> cur.psnNo().equals(f.psnNo()) && cur.pharmacyCode().equals(f.pharmacyCode())).toList();
        Map<String, SettledFact> involved = new LinkedHashMap<>();
        List<String> evidence = new ArrayList<>();
        Set<String> items = new LinkedHashSet<>();
        cur.items().forEach(i -> items.add(i.itemCode()));
        for (String item : items) {
            if (cur.daysOf(item) <= 0) {
                continue;
            }
            List<SettledFact> withItem = here.stream().filter(f -> f.daysOf(item) > 0).toList();
            Optional<List<SettledFact>> w = Windows.earliest(withItem, cur.at(), window,
                    ws -> ws.size() >= minSettlements && days(ws, item) > limit(ws, item));
            w.ifPresent(ws -> {
                ws.forEach(f -> involved.put(f.setlId(), f));
                evidence.add(String.format("%s: %d settlements supplying %d days (limit %d)",
                        item, ws.size(), days(ws, item), limit(ws, item)));
            });
        }
        if (involved.isEmpty()) {
            return List.of();
        }
        List<SettledFact> facts = involved.values().stream().sorted(Comparator.comparing(SettledFact::at)).toList();
        Instant first = facts.get(0).at();
        String text = String.format("person %s split purchases at %s within %d min from %s: %s",
                cur.psnNo(), cur.pharmacyCode(), window.toMinutes(), Beijing.dateHm(first), String.join("; ", evidence));
        return List.of(new Finding(ID, NAME, Severity.HIGHLY_SUSPICIOUS, BehaviourType.SPLITTING,
                new Subject(cur.pharmacyCode(), cur.psnNo(), cur.terminalId(), null), o.regionCode(),
                ID + "|" + cur.psnNo() + "|" + cur.pharmacyCode() + "|" + Beijing.bucket(first, window),
                facts.stream().map(SettledFact::involved).toList(), text));
    }

    private static int days(List<SettledFact> facts, String item) {
        return facts.stream().mapToInt(f -> f.daysOf(item)).sum();
    }

    private int limit(List<SettledFact> facts, String item) {
        boolean chronic = facts.stream().flatMap(f -> f.items().stream())
                .anyMatch(i -> i.itemCode().equals(item) && i.chronic());
        return chronic ? maxDaysChronic : maxDays;
    }
}
