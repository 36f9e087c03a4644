package cn.pharmacyclaims.deploy.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The end-of-run check that no settlement was lost, invented or counted twice: what the POS was
 * told (every purchase's answer, and the answers to the cancellations and reversals aimed at them)
 * against what the settlement database holds. Requests whose answer never came (202 PENDING, a
 * client timeout) are resolved from the database, as a POS would by polling, and counted apart.
 */
public final class Reconciliation {

    /** One {@code settlement} row. */
    public record Row(String msgId, String setlId, String status, BigDecimal fundPay, BigDecimal accountPay,
                      BigDecimal cashPay) {
    }

    /** Fund, account and cash sums. */
    public record Money(BigDecimal fund, BigDecimal account, BigDecimal cash) {
        public static final Money ZERO = new Money(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        Money plus(BigDecimal f, BigDecimal a, BigDecimal c) {
            return new Money(fund.add(nz(f)), account.add(nz(a)), cash.add(nz(c)));
        }

        Money plus(Money m) {
            return new Money(fund.add(m.fund), account.add(m.account), cash.add(m.cash));
        }

        boolean sameAs(Money m) {
            return fund.compareTo(m.fund) == 0 && account.compareTo(m.account) == 0 && cash.compareTo(m.cash) == 0;
        }

        @Override
        public String toString() {
            return "fund " + fund.toPlainString() + ", account " + account.toPlainString() + ", cash " + cash.toPlainString();
        }
    }

    public record Check(String name, boolean ok, String detail) {
    }

    public record Outcome(List<Check> checks, Map<String, Object> figures) {
        public boolean ok() {
            return checks.stream().allMatch(Check::ok);
        }
    }

    /** What the POS knows about one purchase (a {@link Purchase} at the end of the run). */
    public record Answer(String msgId, int httpStatus, String status, String setlId, BigDecimal fundPay,
                         BigDecimal accountPay, BigDecimal cashPay, String undoKind, int undoHttpStatus, String undoStatus) {
        static Answer of(Purchase p) {
            return new Answer(p.msgId, p.httpStatus, p.status, p.setlId, p.fundPay, p.accountPay, p.cashPay, p.undoKind,
                    p.undoHttpStatus, p.undoStatus);
        }

        boolean finalAnswer() {
            return httpStatus == 200 && ("SETTLED".equals(status) || "REJECTED".equals(status));
        }

        boolean refused() {
            return httpStatus >= 400; // a protocol error: it never reached Kafka (POS-API.md §1)
        }

        boolean undone() {
            return undoHttpStatus == 200 && ("CANCELLED".equals(undoStatus) || "REVERSED".equals(undoStatus));
        }

        boolean undoUnknown() {
            return undoKind != null && undoHttpStatus != 200;
        }
    }

    public static Outcome check(Collection<Purchase> purchases, List<Row> rows, long duplicateMsgIdsInDb,
                                BigDecimal initialBalances, BigDecimal finalBalances) {
        return checkAnswers(purchases.stream().map(Answer::of).toList(), rows, duplicateMsgIdsInDb, initialBalances,
                finalBalances);
    }

    public static Outcome checkAnswers(List<Answer> answers, List<Row> rows, long duplicateMsgIdsInDb,
                                       BigDecimal initialBalances, BigDecimal finalBalances) {
        Map<String, Row> byMsgId = new HashMap<>();
        long duplicateRows = 0;
        for (Row r : rows) {
            if (byMsgId.put(r.msgId(), r) != null) {
                duplicateRows++;
            }
        }
        Map<String, Answer> answerByMsgId = new HashMap<>();
        for (Answer a : answers) {
            answerByMsgId.put(a.msgId(), a);
        }

        long settledAnswers = 0;
        long rejectedAnswers = 0;
        long settledMissing = 0;
        long settledMismatch = 0;
        long rejectedMismatch = 0;
        long refusedButRecorded = 0;
        long undoMismatch = 0;
        long undoneAnswers = 0;
        Set<String> setlIdsAnswered = new HashSet<>();
        long duplicateSetlIds = 0;
        Map<String, Long> lateResolved = new TreeMap<>();
        Money answeredSettled = Money.ZERO;
        Money expectedStillSettled = Money.ZERO;
        Map<String, Long> undoResolved = new TreeMap<>();
        List<String> examples = new ArrayList<>();

        for (Answer a : answers) {
            Row r = byMsgId.get(a.msgId());
            if ("SETTLED".equals(a.status()) && a.httpStatus() == 200) {
                settledAnswers++;
                answeredSettled = answeredSettled.plus(a.fundPay(), a.accountPay(), a.cashPay());
                if (a.setlId() != null && !setlIdsAnswered.add(a.setlId())) {
                    duplicateSetlIds++;
                }
                if (r == null) {
                    settledMissing++;
                    example(examples, "SETTLED answer without a row: " + a.msgId());
                } else if (!Objects.equals(r.setlId(), a.setlId()) || !Set.of("SETTLED", "CANCELLED", "REVERSED").contains(r.status())
                        || !same(r.fundPay(), a.fundPay()) || !same(r.accountPay(), a.accountPay())
                        || !same(r.cashPay(), a.cashPay())) {
                    settledMismatch++;
                    example(examples, "SETTLED answer differs from its row: " + a.msgId() + " " + r);
                }
                if (a.undoUnknown()) {
                    // the cancellation or reversal got no answer: whether it happened, the database tells
                    undoResolved.merge(a.undoKind() + " → " + (r == null ? "missing" : r.status()), 1L, Long::sum);
                    if (r != null && "SETTLED".equals(r.status())) {
                        expectedStillSettled = expectedStillSettled.plus(a.fundPay(), a.accountPay(), a.cashPay());
                    }
                } else if (!a.undone()) {
                    expectedStillSettled = expectedStillSettled.plus(a.fundPay(), a.accountPay(), a.cashPay());
                }
                if (a.undone()) {
                    undoneAnswers++;
                    String expected = "CANCELLED".equals(a.undoStatus()) ? "CANCELLED" : "REVERSED";
                    if (r == null || !expected.equals(r.status())) {
                        undoMismatch++;
                        example(examples, a.undoStatus() + " answer but the row is " + (r == null ? "missing" : r.status())
                                + ": " + a.msgId());
                    }
                } else if (r != null && !"SETTLED".equals(r.status()) && !a.undoUnknown()) {
                    undoMismatch++;
                    example(examples, "row " + r.status() + " but no cancellation or reversal was answered so: " + a.msgId());
                }
            } else if ("REJECTED".equals(a.status()) && a.httpStatus() == 200) {
                rejectedAnswers++;
                if (r == null || !"REJECTED".equals(r.status())) {
                    rejectedMismatch++;
                    example(examples, "REJECTED answer but the row is " + (r == null ? "missing" : r.status()) + ": " + a.msgId());
                }
            } else if (a.refused()) {
                if (r != null) {
                    refusedButRecorded++;
                    example(examples, "HTTP " + a.httpStatus() + " answer but a row exists: " + a.msgId());
                }
            } else {
                // 202 PENDING, a client timeout or a connection error: the database tells what happened
                String state = r == null ? "not recorded" : r.status();
                lateResolved.merge(state, 1L, Long::sum);
                if (r != null && "SETTLED".equals(r.status())) {
                    expectedStillSettled = expectedStillSettled.plus(r.fundPay(), r.accountPay(), r.cashPay());
                }
            }
        }

        long unknownRows = 0;
        Money rowsOfSettledAnswers = Money.ZERO;
        Money rowsStillSettled = Money.ZERO;
        long rowsSettledEver = 0;
        Map<String, Long> rowsByStatus = new TreeMap<>();
        for (Row r : byMsgId.values()) {
            rowsByStatus.merge(r.status(), 1L, Long::sum);
            Answer a = answerByMsgId.get(r.msgId());
            if (a == null) {
                unknownRows++;
                example(examples, "row for a msgId never sent: " + r.msgId());
                continue;
            }
            if (!"REJECTED".equals(r.status())) {
                rowsSettledEver++;
            }
            if ("SETTLED".equals(a.status()) && a.httpStatus() == 200) {
                rowsOfSettledAnswers = rowsOfSettledAnswers.plus(r.fundPay(), r.accountPay(), r.cashPay());
            }
            if ("SETTLED".equals(r.status())) {
                rowsStillSettled = rowsStillSettled.plus(r.fundPay(), r.accountPay(), r.cashPay());
            }
        }
        long lateSettledEver = lateResolved.entrySet().stream().filter(e -> Set.of("SETTLED", "CANCELLED", "REVERSED")
                .contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();

        List<Check> checks = new ArrayList<>();
        checks.add(new Check("no duplicated settlement", duplicateMsgIdsInDb == 0 && duplicateRows == 0 && duplicateSetlIds == 0,
                "msgIds with more than one row: " + (duplicateMsgIdsInDb + duplicateRows) + "; setlIds answered twice: "
                        + duplicateSetlIds));
        checks.add(new Check("every SETTLED answer is recorded with the same amounts", settledMissing == 0 && settledMismatch == 0,
                settledAnswers + " SETTLED answers; missing rows " + settledMissing + ", differing rows " + settledMismatch));
        checks.add(new Check("every REJECTED answer is recorded as rejected", rejectedMismatch == 0,
                rejectedAnswers + " REJECTED answers; differing " + rejectedMismatch));
        checks.add(new Check("nothing recorded for refused requests (4xx/5xx)", refusedButRecorded == 0,
                "recorded anyway: " + refusedButRecorded));
        checks.add(new Check("no row the load generator did not send", unknownRows == 0, "unknown rows: " + unknownRows));
        checks.add(new Check("cancellations and reversals match the rows", undoMismatch == 0,
                undoneAnswers + " answered CANCELLED/REVERSED; differing " + undoMismatch));
        checks.add(new Check("settlements recorded = successful answers", rowsSettledEver == settledAnswers + lateSettledEver,
                "rows ever settled " + rowsSettledEver + " = SETTLED answers " + settledAnswers
                        + " + settled while unanswered " + lateSettledEver));
        checks.add(new Check("fund/account/cash of SETTLED answers = their rows", answeredSettled.sameAs(rowsOfSettledAnswers),
                "answers: " + answeredSettled + "; rows: " + rowsOfSettledAnswers));
        checks.add(new Check("still-settled sums = answers − cancellations/reversals", expectedStillSettled.sameAs(rowsStillSettled),
                "expected (SETTLED answers not answered undone, plus unanswered ones the database shows settled): "
                        + expectedStillSettled + "; rows still SETTLED: " + rowsStillSettled));
        if (initialBalances != null && finalBalances != null) {
            BigDecimal spent = initialBalances.subtract(finalBalances);
            checks.add(new Check("account balances fell by the still-settled account payments",
                    spent.compareTo(rowsStillSettled.account) == 0,
                    "Σ balances before − after = " + spent.toPlainString() + "; Σ accountPay still settled = "
                            + rowsStillSettled.account.toPlainString()));
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("purchasesSent", answers.size());
        figures.put("settledAnswers", settledAnswers);
        figures.put("rejectedAnswers", rejectedAnswers);
        figures.put("undoneAnswers", undoneAnswers);
        figures.put("resolvedFromDatabase", lateResolved);
        figures.put("unansweredUndoResolvedFromDatabase", undoResolved);
        figures.put("rowsByStatus", rowsByStatus);
        figures.put("answeredSettledSums", answeredSettled.toString());
        figures.put("stillSettledSums", rowsStillSettled.toString());
        figures.put("examples", examples);
        return new Outcome(checks, figures);
    }

    private static void example(List<String> examples, String s) {
        if (examples.size() < 10) {
            examples.add(s);
        }
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return nz(a).compareTo(nz(b)) == 0;
    }

    private static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
