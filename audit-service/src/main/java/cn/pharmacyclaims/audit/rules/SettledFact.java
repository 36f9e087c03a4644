package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.money.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One settled (and not cancelled or reversed) purchase as the windowed rules remember it: who,
 * where, which terminal, when (event time, the decision's occurredAt), how much, and which items
 * for how many days. Kept in {@code recent_settlement} for the longest window plus a margin.
 *
 * <p>A value class with the accessors, equality and text of a record over its nine fields; a class
 * only so that it can keep the event time as an {@link Instant}: the windows compare and sort facts
 * by time thousands of times per decision (a busy terminal's AUD-07 window), and converting the
 * OffsetDateTime each time was the intake's largest CPU cost.
 */
public final class SettledFact {
    private final String setlId;
    private final String msgId;
    private final String psnNo;
    private final String pharmacyCode;
    private final String terminalId;
    private final String regionCode;
    private final OffsetDateTime occurredAt;
    private final BigDecimal total;
    private final List<Item> items;
    private final Instant at;

    public SettledFact(String setlId, String msgId, String psnNo, String pharmacyCode, String terminalId, String regionCode,
                       OffsetDateTime occurredAt, BigDecimal total, List<Item> items) {
        this.setlId = setlId;
        this.msgId = msgId;
        this.psnNo = psnNo;
        this.pharmacyCode = pharmacyCode;
        this.terminalId = terminalId;
        this.regionCode = regionCode;
        this.occurredAt = occurredAt;
        this.total = total;
        this.items = items;
        this.at = occurredAt.toInstant();
    }

    public String setlId() {
        return setlId;
    }

    public String msgId() {
        return msgId;
    }

    public String psnNo() {
        return psnNo;
    }

    public String pharmacyCode() {
        return pharmacyCode;
    }

    public String terminalId() {
        return terminalId;
    }

    public String regionCode() {
        return regionCode;
    }

    public OffsetDateTime occurredAt() {
        return occurredAt;
    }

    public BigDecimal total() {
        return total;
    }

    public List<Item> items() {
        return items;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SettledFact f && Objects.equals(setlId, f.setlId) && Objects.equals(msgId, f.msgId)
                && Objects.equals(psnNo, f.psnNo) && Objects.equals(pharmacyCode, f.pharmacyCode)
                && Objects.equals(terminalId, f.terminalId) && Objects.equals(regionCode, f.regionCode)
                && Objects.equals(occurredAt, f.occurredAt) && Objects.equals(total, f.total) && Objects.equals(items, f.items);
    }

    @Override
    public int hashCode() {
        return Objects.hash(setlId, msgId, psnNo, pharmacyCode, terminalId, regionCode, occurredAt, total, items);
    }

    @Override
    public String toString() {
        return "SettledFact[setlId=" + setlId + ", msgId=" + msgId + ", psnNo=" + psnNo + ", pharmacyCode=" + pharmacyCode
                + ", terminalId=" + terminalId + ", regionCode=" + regionCode + ", occurredAt=" + occurredAt + ", total=" + total
                + ", items=" + items + "]";
    }

    /** {@code chronic}: the line was paid under the chronic benefit, so CLM-07's longer limit applied. */
    public record Item(String itemCode, Integer daysSupply, boolean chronic) {
    }

    public Instant at() {
        return at;
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

    /**
     * Who settled at a terminal and when, nothing else: what AUD-07 reads of a busy terminal's window
     * to count its distinct persons ({@link WindowBatch}). Never named in an alert: a burst's crossing
     * reads its window's full rows.
     */
    static SettledFact mark(String setlId, String psnNo, String terminalId, OffsetDateTime occurredAt) {
        return new SettledFact(setlId, null, psnNo, null, terminalId, null, occurredAt, null, List.of());
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
