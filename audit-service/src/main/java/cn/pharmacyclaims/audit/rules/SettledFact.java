package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One settled (and not cancelled or reversed) purchase as the windowed rules remember it: who,
 * where, which terminal, when (event time, the decision's occurredAt), how much, and which items
 * for how many days. Kept in {@code recent_settlement} for the longest window plus a margin.
 */
public record SettledFact(String setlId, String msgId, String psnNo, String pharmacyCode, String terminalId,
                          String regionCode, OffsetDateTime occurredAt, BigDecimal total, List<Item> items) {

    /** {@code chronic}: the line was paid under the chronic benefit, so CLM-07's longer limit applied. */
    public record Item(String itemCode, Integer daysSupply, boolean chronic) {
    }

    public Instant at() {
        return occurredAt.toInstant();
    }

    public Involved involved() {
        return new Involved(setlId, msgId, pharmacyCode, occurredAt, total);
    }

    public static SettledFact of(SettlementDecision d) {
        List<Item> items = new ArrayList<>();
        if (d.lines() != null) {
            for (SettlementDecision.Line l : d.lines()) {
                if (l != null && l.itemCode() != null) {
                    items.add(new Item(l.itemCode(), l.daysSupply(), l.benefit() == SettlementResult.Benefit.CHRONIC));
                }
            }
        }
        return new SettledFact(d.setlId() != null ? d.setlId() : d.msgId(), d.msgId(), d.psnNo(), d.pharmacyCode(),
                d.terminalId(), d.regionCode(), Requests.occurredAt(d), Requests.amount(d), List.copyOf(items));
    }

    /** Days of supply of one item in this settlement (0 when the item is absent or carries no days). */
    public int daysOf(String itemCode) {
        int days = 0;
        for (Item i : items) {
            if (i.itemCode().equals(itemCode) && i.daysSupply() != null) {
                days += i.daysSupply();
            }
        }
        return days;
    }

    static BigDecimal sum(List<SettledFact> facts) {
        BigDecimal s = Money.ZERO;
        for (SettledFact f : facts) {
            s = s.add(f.total());
        }
        return Money.round(s);
    }
}
