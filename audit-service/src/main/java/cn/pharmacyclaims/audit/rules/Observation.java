package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.audit.pharmacy.Pharmacy;
import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.SettlementDecision;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything a rule may look at for one decision, loaded in the decision's transaction.
 *
 * @param current           the decision as a settled fact when it is SETTLED, else null
 * @param pharmacy          the local copy of the decision's pharmacy, null when unknown
 * @param personHistory     the person's live settlements around the event time (includes current): the one-decision
 *                          path gives all of them, the batch path at least every one a rule can use (near ones at
 *                          other pharmacies or of the current items, round or tiny totals; see {@link WindowBatch})
 * @param terminalHistory   the terminal's live settlements of the trailing AUD-07 window (includes current): all of
 *                          them while the burst has no alert, else at least the newest ones that hold the threshold's
 *                          distinct persons (fewer rows are read). The batch path gives full rows only at a burst's
 *                          crossing (they are the alert's evidence); otherwise its rows may be marks that carry only
 *                          setl_id, person, terminal and time ({@link SettledFact#mark}). Loaded only while AUD-07 is
 *                          enabled
 * @param pharmacies        pharmacies named in the person's recent history (for distances)
 * @param dailyCounts       the pharmacy's settled count per Beijing day, trailing days and the current day
 * @param pharmacyDay       the pharmacy's settlements of the current day, loaded only when its count spikes
 * @param alertOpen         whether a dedupe key already has an alert (AUD-07: a burst's alert then gains only the
 *                          current settlement); answered for the keys the loaders looked up, false for the others
 */
public record Observation(SettlementDecision decision, SettledFact current, Pharmacy pharmacy,
                          List<SettledFact> personHistory, List<SettledFact> terminalHistory,
                          Map<String, Pharmacy> pharmacies, Map<LocalDate, Integer> dailyCounts,
                          List<SettledFact> pharmacyDay, Predicate<String> alertOpen) {

    /** No alert is known to exist. */
    public Observation(SettlementDecision decision, SettledFact current, Pharmacy pharmacy,
                       List<SettledFact> personHistory, List<SettledFact> terminalHistory,
                       Map<String, Pharmacy> pharmacies, Map<LocalDate, Integer> dailyCounts,
                       List<SettledFact> pharmacyDay) {
        this(decision, current, pharmacy, personHistory, terminalHistory, pharmacies, dailyCounts, pharmacyDay, k -> false);
    }

    public boolean settled() {
        return current != null && decision.eventType() == DecisionEventType.SETTLED;
    }

    public boolean rejected() {
        return decision.eventType() == DecisionEventType.REJECTED;
    }

    /** The region for the alert: the decision's, else the local pharmacy copy's. */
    public String regionCode() {
        if (decision.regionCode() != null) {
            return decision.regionCode();
        }
        return pharmacy == null ? null : pharmacy.regionCode();
    }

    /** A request-only observation (no windows), for per-request rules and tests. */
    public static Observation of(SettlementDecision d, Pharmacy pharmacy) {
        SettledFact current = d.eventType() == DecisionEventType.SETTLED ? SettledFact.of(d) : null;
        List<SettledFact> self = current == null ? List.of() : List.of(current);
        return new Observation(d, current, pharmacy, self, self, Map.of(), Map.of(), List.of());
    }
}
