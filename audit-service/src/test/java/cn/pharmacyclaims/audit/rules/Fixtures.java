package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.audit.pharmacy.BusinessHours;
import cn.pharmacyclaims.audit.pharmacy.Pharmacy;
import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Decisions as settlement-service publishes them, for the rule tests. */
public final class Fixtures {
    /** A Monday 10:00 in Beijing. */
    public static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-23T10:00:00+08:00");

    private Fixtures() {
    }

    public static SettlementDecision.Line line(int no, String item, String itemClass, String qty, String price, Integer days) {
        return line(no, item, itemClass, qty, price, days, SettlementResult.Benefit.NONE);
    }

    public static SettlementDecision.Line line(int no, String item, String itemClass, String qty, String price, Integer days,
                                        SettlementResult.Benefit benefit) {
        BigDecimal amount = new BigDecimal(qty).multiply(new BigDecimal(price)).setScale(2, java.math.RoundingMode.HALF_UP);
        return new SettlementDecision.Line(no, item, itemClass, new BigDecimal(qty), new BigDecimal(price), days, null,
                amount, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, amount, BigDecimal.ZERO, benefit, amount, BigDecimal.ZERO);
    }

    /** A request line as a rejection carries it: no result figures. */
    public static SettlementDecision.Line requestLine(int no, String item, String itemClass, String qty, String price) {
        return new SettlementDecision.Line(no, item, itemClass, new BigDecimal(qty), new BigDecimal(price), 7, null,
                null, null, null, null, null, null, null, null, null);
    }

    public static SettlementDecision settled(String setlId, String psn, String pharmacy, String terminal, OffsetDateTime at,
                                      String total, SettlementDecision.Line... lines) {
        return settled(setlId, psn, pharmacy, terminal, at, total, null, null, lines);
    }

    public static SettlementDecision settled(String setlId, String psn, String pharmacy, String terminal, OffsetDateTime at,
                                      String total, String accountPay, String balanceAfter, SettlementDecision.Line... lines) {
        BigDecimal t = new BigDecimal(total);
        BigDecimal acct = accountPay == null ? t : new BigDecimal(accountPay);
        SettlementResult.Totals totals = new SettlementResult.Totals(t, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, acct, t.subtract(acct));
        return new SettlementDecision(UUID.randomUUID().toString(), DecisionEventType.SETTLED, 1, setlId, msgId(pharmacy),
                SettlementStatus.SETTLED, psn, pharmacy, terminal, "440105", "op-1", at, totals, List.of(lines),
                balanceAfter == null ? new BigDecimal("500.00") : new BigDecimal(balanceAfter), List.of(), at, null, at);
    }

    public static SettlementDecision rejected(String psn, String pharmacy, String terminal, OffsetDateTime at, RejectCode code,
                                       String message, SettlementDecision.Line... lines) {
        return new SettlementDecision(UUID.randomUUID().toString(), DecisionEventType.REJECTED, 1, null, msgId(pharmacy),
                SettlementStatus.REJECTED, psn, pharmacy, terminal, "440105", "op-1", at, null, List.of(lines), null,
                List.of(new SettlementResult.Reject(code, lines.length > 0 ? 1 : null, message)), at,
                new SettlementDecision.RxRef("RX1", true, "H44010500003", "D0042"), at);
    }

    public static SettlementDecision cancelled(SettlementDecision original) {
        return new SettlementDecision(UUID.randomUUID().toString(), DecisionEventType.CANCELLED, 1, original.setlId(),
                original.msgId(), SettlementStatus.CANCELLED, original.psnNo(), original.pharmacyCode(), original.terminalId(),
                original.regionCode(), "op-1", original.occurredAt(), original.totals(), original.lines(), null, List.of(),
                original.settledAt(), null, original.occurredAt().plusMinutes(5));
    }

    private static String msgId(String pharmacy) {
        return pharmacy + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    }

    public static Pharmacy pharmacy(String code, Double lat, Double lon, String hours) {
        return new Pharmacy(code, "440105", lat, lon, BusinessHours.parse(hours).orElse(null), "ACTIVE", 1);
    }

    public static String setl() {
        return "S-" + UUID.randomUUID();
    }
}
