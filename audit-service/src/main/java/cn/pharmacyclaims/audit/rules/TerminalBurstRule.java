package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;

import java.time.Duration;
import java.util.List;

/**
 * AUD-07 terminal burst (空刷 / 盗刷): one terminal settled for ≥ 20 distinct persons within 10 min.
 * One alert per terminal and 10-min bucket of the burst's first settlement; later settlements of the
 * same burst are appended to the stored alert, not published again.
 */
public final class TerminalBurstRule implements AuditRule {
    public static final String ID = "AUD-07";
    public static final String NAME = "terminal burst";

    private final int minPersons;
    private final Duration window;

    public TerminalBurstRule(int minPersons, Duration window) {
        this.minPersons = minPersons;
        this.window = window;
    }

    @Override
    public String ruleId() {
        return ID;
    }

    @Override
    public List<Finding> evaluate(Observation o) {
        if (!o.settled() || o.current().terminalId() == null) {
            return List.of();
        }
        SettledFact cur = o.current();
        List<SettledFact> history = o.terminalHistory().stream().filter(f -> cur.terminalId().equals(f.terminalId())).toList();
        return Windows.earliest(history, cur.at(), window, w -> Windows.distinct(w, SettledFact::psnNo) >= minPersons)
                .map(w -> {
                    long persons = Windows.distinct(w, SettledFact::psnNo);
                    SettledFact first = w.get(0);
                    SettledFact last = w.get(w.size() - 1);
                    String evidence = String.format("terminal %s settled for %d distinct persons between %s and %s (threshold %d within %d min)",
                            cur.terminalId(), persons, Beijing.dateHm(first.at()), Beijing.hm(last.at()), minPersons, window.toMinutes());
                    String key = ID + "|" + cur.terminalId() + "|" + Beijing.bucket(first.at(), window);
                    return List.of(new Finding(ID, NAME, Severity.HIGHLY_SUSPICIOUS, BehaviourType.GHOST_SWIPES,
                            new Subject(cur.pharmacyCode(), null, cur.terminalId(), null), o.regionCode(), key,
                            w.stream().map(SettledFact::involved).toList(), evidence));
                })
                .orElse(List.of());
    }
}
