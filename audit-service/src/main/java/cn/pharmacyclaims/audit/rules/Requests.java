package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.ViolationAlert.Subject;
import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** What the per-request rules read from one decision: amount, time, subject, reject codes. */
public final class Requests {
    private Requests() {
    }

    /** Event time of the decision: when the sale happened at the counter (falls back to decision time). */
    public static OffsetDateTime occurredAt(SettlementDecision d) {
        if (d.occurredAt() != null) {
            return d.occurredAt();
        }
        if (d.settledAt() != null) {
            return d.settledAt();
        }
        return d.decidedAt();
    }

    /**
     * The request's amount: the settled total, or for a rejected request (which carries no amounts)
     * the sum of its lines' quantity × unit price, each rounded to 0.01 half-up (CLM-10); 0.00 when
     * the lines do not say.
     */
    public static BigDecimal amount(SettlementDecision d) {
        if (d.totals() != null && d.totals().total() != null) {
            return Money.round(d.totals().total());
        }
        BigDecimal sum = Money.ZERO;
        if (d.lines() != null) {
            for (SettlementDecision.Line l : d.lines()) {
                if (l == null) {
                    continue;
                }
                if (l.amount() != null) {
                    sum = sum.add(Money.round(l.amount()));
                } else if (l.quantity() != null && l.unitPrice() != null) {
                    sum = sum.add(Money.round(l.quantity().multiply(l.unitPrice())));
                }
            }
        }
        return Money.round(sum);
    }

    /** A per-request subject: pharmacy, person, terminal and the prescriber if there was a prescription (AUD-23: no names). */
    public static Subject subject(SettlementDecision d) {
        String prescriber = d.prescription() == null ? null : d.prescription().physicianCode();
        return new Subject(d.pharmacyCode(), d.psnNo(), d.terminalId(), prescriber);
    }

    public static Involved involved(SettlementDecision d) {
        return new Involved(d.setlId(), d.msgId(), d.pharmacyCode(), occurredAt(d), amount(d));
    }

    /** Identifies the request for per-request dedupe keys: a msgId is unique forever (CLM-01). */
    public static String ref(SettlementDecision d) {
        return d.msgId() != null ? "msg:" + d.msgId() : "setl:" + d.setlId();
    }

    public static Optional<SettlementResult.Reject> reject(SettlementDecision d, RejectCode code) {
        if (d.rejects() == null) {
            return Optional.empty();
        }
        return d.rejects().stream().filter(r -> r != null && r.code() == code).findFirst();
    }

    public static List<SettlementResult.Reject> rejects(SettlementDecision d) {
        return d.rejects() == null ? List.of() : d.rejects().stream().filter(r -> r != null && r.code() != null).toList();
    }

    public static String describe(SettlementDecision d) {
        return "request " + d.msgId() + " at " + d.pharmacyCode() + " on " + Beijing.dateHm(occurredAt(d).toInstant());
    }
}
