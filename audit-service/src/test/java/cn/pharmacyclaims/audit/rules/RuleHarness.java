package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.audit.pharmacy.Pharmacy;
import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.SettlementDecision;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plays decisions through one rule the way the intake does (windows, removal on cancel, one
 * alert per dedupe key), in memory: what would be published is {@link #alerts}.
 */
final class RuleHarness {
    final AuditRule rule;
    final List<SettledFact> facts = new ArrayList<>();
    final Map<String, Pharmacy> pharmacies = new HashMap<>();
    final Map<LocalDate, Integer> dailyCounts = new HashMap<>();
    final Set<String> keys = new HashSet<>();
    final List<Finding> alerts = new ArrayList<>();
    final List<Finding> seen = new ArrayList<>();

    RuleHarness(AuditRule rule) {
        this.rule = rule;
    }

    RuleHarness with(Pharmacy p) {
        pharmacies.put(p.pharmacyCode(), p);
        return this;
    }

    /** @return the alerts this decision raises (new dedupe keys only) */
    List<Finding> feed(SettlementDecision d) {
        SettledFact current = null;
        if (d.eventType() == DecisionEventType.SETTLED) {
            current = SettledFact.of(d);
            facts.add(current);
            dailyCounts.merge(Beijing.date(current.at()), 1, Integer::sum);
        } else if (d.eventType() == DecisionEventType.CANCELLED || d.eventType() == DecisionEventType.REVERSED) {
            facts.removeIf(f -> f.setlId().equals(d.setlId()));
        }
        SettledFact cur = current;
        List<SettledFact> person = cur == null ? List.of() : facts.stream().filter(f -> f.psnNo().equals(cur.psnNo())).toList();
        List<SettledFact> terminal = cur == null || cur.terminalId() == null ? List.of()
                : facts.stream().filter(f -> cur.terminalId().equals(f.terminalId())).toList();
        List<SettledFact> pharmacyDay = cur == null ? List.of() : facts.stream()
                .filter(f -> f.pharmacyCode().equals(cur.pharmacyCode()) && Beijing.date(f.at()).equals(Beijing.date(cur.at())))
                .toList();
        Observation o = new Observation(d, cur, pharmacies.get(d.pharmacyCode()), person, terminal, pharmacies,
                Map.copyOf(dailyCounts), pharmacyDay, keys::contains);
        List<Finding> findings = rule.evaluate(o);
        seen.addAll(findings);
        List<Finding> raised = findings.stream().filter(f -> keys.add(f.dedupeKey())).toList();
        alerts.addAll(raised);
        return raised;
    }
}
