package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.ViolationAlert.BehaviourType;
import cn.pharmacyclaims.common.events.ViolationAlert.Severity;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;
import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * What a rule saw. {@code dedupeKey} names the pattern and its window (rule, subject, window bucket;
 * or the request for per-request rules): one key gives at most one alert however often the pattern
 * is seen again (DOMAIN.md §5). The alert's window is the span of the settlements involved.
 */
public record Finding(String ruleId, String ruleName, Severity severity, BehaviourType behaviourType, Subject subject,
                      String regionCode, String dedupeKey, List<Involved> involved, String evidence) {

    public Finding {
        if (involved == null || involved.isEmpty()) {
            throw new IllegalArgumentException("a finding names at least one settlement or request");
        }
        involved = involved.stream().sorted(Comparator.comparing(i -> i.occurredAt().toInstant())).toList();
    }

    /** Sum of the amounts involved, 2 decimals (CLM-10). */
    public BigDecimal amount() {
        BigDecimal s = Money.ZERO;
        for (Involved i : involved) {
            if (i.amount() != null) {
                s = s.add(i.amount());
            }
        }
        return Money.round(s);
    }

    public OffsetDateTime windowStart() {
        return involved.get(0).occurredAt();
    }

    public OffsetDateTime windowEnd() {
        return involved.get(involved.size() - 1).occurredAt();
    }
}
