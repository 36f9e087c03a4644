package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.rules.Fixtures;
import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.PharmacyStatusChanged;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A reproducible stream of decisions over symbolic persons, pharmacies and terminals, for comparing
 * the batch intake with the one-decision path: the same script (same seed, same day) instantiated
 * with two prefixes gives two streams that differ only in their ids. It holds every AUD pattern the
 * intake keeps state for (AUD-02, 03, 05, 06, 07, 08, 09), per-request ones (AUD-01, 12, 13, 14),
 * cancellations and reversals (some before their purchase), a settlement id seen again under another
 * event id, redeliveries, and events slightly out of event-time order.
 */
final class DecisionScript {
    static final int PHARMACIES = 20;
    static final int PERSONS = 120;

    private final String prefix;
    private final OffsetDateTime day; // Beijing midnight of the main day
    private final Random random;
    private int events;
    private int settlements;
    private int messages;

    DecisionScript(String prefix, OffsetDateTime day, long seed) {
        this.prefix = prefix;
        this.day = day;
        this.random = new Random(seed);
    }

    String prefix() {
        return prefix;
    }

    String psn(int i) {
        return prefix + "N" + i;
    }

    String pharmacy(int i) {
        return prefix + "P" + i;
    }

    /** Terminals 0..19 belong to pharmacies 0..19, terminals 20..29 are second terminals of pharmacies 0..9. */
    String terminal(int i) {
        return prefix + "T" + i;
    }

    static int pharmacyOf(int terminal) {
        return terminal % PHARMACIES;
    }

    /** Guangzhou, except 18 (Shenzhen) and 19 (Beijing); 5 and 6 keep shop hours, 7 has none registered. */
    List<PharmacyStatusChanged> pharmacies() {
        List<PharmacyStatusChanged> out = new ArrayList<>();
        for (int i = 0; i < PHARMACIES; i++) {
            double lat = i == 18 ? 22.5431 : i == 19 ? 39.9042 : 23.10 + i * 0.002;
            double lon = i == 18 ? 114.0579 : i == 19 ? 116.4074 : 113.26 + i * 0.002;
            String hours = i == 5 || i == 6 ? "08:00-22:00" : i == 7 ? null : "00:00-24:00";
            out.add(new PharmacyStatusChanged(pharmacy(i), "Pharmacy " + i, "440105", "1 Test Road", lat, lon, hours,
                    PharmacyStatus.ACTIVE, "GENERAL", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31), 1,
                    OffsetDateTime.now(), "test"));
        }
        return out;
    }

    List<SettlementDecision> decisions() {
        List<SettlementDecision> out = new ArrayList<>();
        // AUD-08 history: pharmacy 0 settles twice a day for a week before the main day
        for (int d = 8; d >= 2; d--) {
            for (int k = 0; k < 2; k++) {
                out.add(settled(100 + (d * 2 + k) % 20, 0, 0, day.minusDays(d).plusHours(12).plusMinutes(30L * k), "23.40",
                        line("XC08CAA0450101", 3, false)));
            }
        }
        List<SettlementDecision> main = new ArrayList<>();
        // background: 360 purchases and rejections from 08:00 to 21:00
        for (int i = 0; i < 360; i++) {
            // distinct times: rows with the same time are listed in index order, which neither path decides
            OffsetDateTime at = day.plusHours(8).plusSeconds(i * 130L + random.nextInt(600)).plusNanos((i + 1) * 1_000_000L);
            int person = random.nextInt(4) == 0 ? random.nextInt(20) : random.nextInt(PERSONS);
            int ph = random.nextInt(10) < 7 ? person % PHARMACIES : random.nextInt(PHARMACIES - 2);
            Integer term = random.nextInt(20) == 0 ? null : random.nextBoolean() || ph >= 10 ? ph : ph + 20;
            int kind = random.nextInt(100);
            if (kind < 4) {
                main.add(rejected(person, ph, term, at, RejectCode.NON_MEDICAL_ITEM, "line 1 is not a medical item",
                        Fixtures.requestLine(1, "SHAMPOO01", "NON_MEDICAL", "1", "19.90")));
            } else if (kind < 5) {
                main.add(rejected(person, ph, term, at, RejectCode.TERMINAL_PHARMACY_MISMATCH, "terminal not registered here"));
            } else if (kind < 6) {
                main.add(rejected(person, ph, term, at, RejectCode.AGREEMENT_NOT_ACTIVE, "agreement suspended"));
            } else if (kind < 7) {
                main.add(rejected(person, ph, term, at, RejectCode.CARD_REPORTED_LOST, "card lost"));
            } else if (kind < 9) {
                main.add(rejected(person, ph, term, at, RejectCode.ITEM_UNKNOWN, "unknown item",
                        Fixtures.requestLine(1, "ZZ000", "A", "1", "3.00")));
            } else {
                main.add(settled(person, ph, term, at, total(), line(item(), 3 + random.nextInt(8), random.nextInt(10) == 0)));
            }
        }
        // cancellations, reversals and re-used settlement ids below pick from these only, so that the
        // fixed patterns that follow keep their alerts
        List<SettlementDecision> background = main.stream().filter(d -> d.eventType() == DecisionEventType.SETTLED).toList();
        // one of each per-request pattern at least (AUD-01, 12, 13, 14), whatever the random part holds
        main.add(rejected(12, 12, 12, day.plusHours(12), RejectCode.NON_MEDICAL_ITEM, "line 1 is not a medical item",
                Fixtures.requestLine(1, "SHAMPOO01", "NON_MEDICAL", "2", "9.95")));
        main.add(rejected(13, 13, 12, day.plusHours(12).plusMinutes(1), RejectCode.TERMINAL_PHARMACY_MISMATCH, "terminal moved"));
        main.add(rejected(14, 14, 14, day.plusHours(12).plusMinutes(2), RejectCode.SETTLEMENT_HOLD, "settlement hold"));
        main.add(rejected(15, 15, 15, day.plusHours(12).plusMinutes(3), RejectCode.INSURED_NOT_ELIGIBLE, "insured person deceased"));
        // AUD-07: 25 persons at terminal 1 within 6 minutes
        for (int i = 0; i < 25; i++) {
            main.add(settled(40 + i, 1, 1, day.plusHours(15).plusSeconds(15L * i), "31.20", line("XC08CAA0450101", 3, false)));
        }
        // AUD-08: pharmacy 0 settles 60 times on the main day (3 × a median of 2, and at least 50)
        for (int i = 0; i < 60; i++) {
            main.add(settled(60 + i % 50, 0, i % 2 == 0 ? 0 : 20, day.plusHours(13).plusSeconds(97L * i), "27.70",
                    line("XC08CAA0450101", 3, false)));
        }
        // AUD-06: outside pharmacy 5's registered hours
        main.add(settled(5, 5, 5, day.plusHours(23).plusMinutes(30), "41.00", line("XC08CAA0450101", 5, false)));
        main.add(settled(6, 6, 6, day.plusHours(6), "41.00", line("XC08CAA0450101", 5, false)));
        // AUD-02: person 3 in Guangzhou, then Shenzhen 20 minutes later; person 4 at three pharmacies within the hour
        main.add(settled(3, 3, 3, day.plusHours(10), "52.10", line("XC08CAA0450101", 5, false)));
        main.add(settled(3, 18, 18, day.plusHours(10).plusMinutes(20), "22.10", line("XC08CAA0450101", 5, false)));
        for (int i = 0; i < 3; i++) {
            main.add(settled(4, 10 + i, 10 + i, day.plusHours(11).plusMinutes(15L * i), "12.30", line("XC08CAA0450101", 2, false)));
        }
        // AUD-05: three round totals; AUD-09: five tiny ones; AUD-03: one item split in two
        for (int i = 0; i < 3; i++) {
            main.add(settled(7, 7, 7, day.plusHours(9).plusMinutes(40L * i), "100.00", line("XC08CAA0450101", 3, false)));
        }
        for (int i = 0; i < 5; i++) {
            main.add(settled(9, 9, 9, day.plusHours(16).plusMinutes(10L * i), "4.50", line("XC08CAA0450101", 1, false)));
        }
        for (int i = 0; i < 2; i++) {
            main.add(settled(11, 11, 11, day.plusHours(17).plusMinutes(12L * i), "24.68", line("XC08CAA0450101", 7, false)));
        }
        main.sort(java.util.Comparator.comparing(SettlementDecision::occurredAt));
        // arrival order is not event-time order: nearby swaps
        for (int i = 0; i < 60; i++) {
            int a = random.nextInt(main.size() - 6);
            int b = a + 1 + random.nextInt(5);
            SettlementDecision x = main.get(a);
            main.set(a, main.get(b));
            main.set(b, x);
        }
        List<SettlementDecision> settledSoFar = background;
        // cancellations and reversals after their purchase, and reversals arriving before it
        for (int i = 0; i < 12; i++) {
            SettlementDecision original = settledSoFar.get(random.nextInt(settledSoFar.size()));
            int pos = main.indexOf(original);
            boolean before = i % 4 == 3;
            DecisionEventType type = i % 2 == 0 ? DecisionEventType.CANCELLED : DecisionEventType.REVERSED;
            SettlementDecision undo = undo(original, type, type == DecisionEventType.REVERSED);
            int at = before ? Math.max(0, pos - 1 - random.nextInt(3)) : Math.min(main.size(), pos + 1 + random.nextInt(40));
            main.add(at, undo);
        }
        // a settlement id seen again under another event id (another person even)
        for (int i = 0; i < 4; i++) {
            SettlementDecision original = settledSoFar.get(random.nextInt(settledSoFar.size()));
            main.add(Math.min(main.size(), main.indexOf(original) + 1 + random.nextInt(30)),
                    copy(original, next("E"), psn(random.nextInt(PERSONS))));
        }
        // redeliveries: the same event again, shortly after or much later
        for (int i = 0; i < 15; i++) {
            SettlementDecision original = main.get(random.nextInt(main.size()));
            main.add(Math.min(main.size(), main.indexOf(original) + 1 + random.nextInt(i % 3 == 0 ? 300 : 10)), original);
        }
        out.addAll(main);
        return out;
    }

    private String next(String kind) {
        return prefix + kind + (events++);
    }

    private String total() {
        int r = random.nextInt(10);
        if (r == 0) {
            return new BigDecimal(300 + random.nextInt(650)).movePointLeft(2).toPlainString(); // tiny
        }
        if (r == 1) {
            return (50 * (1 + random.nextInt(3))) + ".00"; // round
        }
        int cents = 1001 + random.nextInt(19000);
        if (cents % 5000 == 0) {
            cents++;
        }
        return new BigDecimal(cents).movePointLeft(2).toPlainString();
    }

    private String item() {
        String[] items = {"XC08CAA0450101", "XA02BCA0120102", "XN02BEA0230103", "XR05CBA0310104", "XJ01CAA0040105", "XC10AAA0050106"};
        return items[random.nextInt(items.length)];
    }

    private static SettlementDecision.Line line(String item, int days, boolean chronic) {
        return Fixtures.line(1, item, "A", "1", "10.00", chronic ? days * 3 : days,
                chronic ? SettlementResult.Benefit.CHRONIC : SettlementResult.Benefit.NONE);
    }

    private SettlementDecision settled(int person, int ph, Integer term, OffsetDateTime at, String total, SettlementDecision.Line line) {
        BigDecimal t = new BigDecimal(total);
        SettlementResult.Totals totals = new SettlementResult.Totals(t, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, t, BigDecimal.ZERO);
        return new SettlementDecision(next("E"), DecisionEventType.SETTLED, 1, prefix + "S" + (settlements++),
                prefix + "M" + (messages++), SettlementStatus.SETTLED, psn(person), pharmacy(ph),
                term == null ? null : terminal(term), "440105", "op-1", at, totals, List.of(line), new BigDecimal("500.00"),
                List.of(), at, null, at);
    }

    private SettlementDecision rejected(int person, int ph, Integer term, OffsetDateTime at, RejectCode code, String message,
                                        SettlementDecision.Line... lines) {
        return new SettlementDecision(next("E"), DecisionEventType.REJECTED, 1, null, prefix + "M" + (messages++),
                SettlementStatus.REJECTED, psn(person), pharmacy(ph), term == null ? null : terminal(term), "440105", "op-1", at,
                null, List.of(lines), null, List.of(new SettlementResult.Reject(code, lines.length > 0 ? 1 : null, message)), at,
                new SettlementDecision.RxRef("RX1", true, "H44010500003", "D0042"), at);
    }

    /** A cancellation names the settlement; a timeout reversal may only know the message id. */
    private SettlementDecision undo(SettlementDecision original, DecisionEventType type, boolean byMessageOnly) {
        SettlementStatus status = type == DecisionEventType.CANCELLED ? SettlementStatus.CANCELLED : SettlementStatus.REVERSED;
        return new SettlementDecision(next("E"), type, 1, byMessageOnly ? null : original.setlId(), original.msgId(), status,
                original.psnNo(), original.pharmacyCode(), original.terminalId(), original.regionCode(), "op-1",
                original.occurredAt(), original.totals(), original.lines(), null, List.of(), original.settledAt(), null,
                original.occurredAt().plusMinutes(5));
    }

    private static SettlementDecision copy(SettlementDecision d, String eventId, String psn) {
        return new SettlementDecision(eventId, d.eventType(), d.schemaVersion(), d.setlId(), d.msgId(), d.status(), psn,
                d.pharmacyCode(), d.terminalId(), d.regionCode(), d.operatorId(), d.occurredAt().plusMinutes(3), d.totals(),
                d.lines(), d.accountBalanceAfter(), d.rejects(), d.settledAt(), d.prescription(), d.decidedAt());
    }
}
