package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationTest {

    static BigDecimal d(String v) {
        return new BigDecimal(v);
    }

    static Reconciliation.Answer settled(String msgId, String setlId, String fund, String account, String cash) {
        return new Reconciliation.Answer(msgId, 200, "SETTLED", setlId, d(fund), d(account), d(cash), null, 0, null);
    }

    static Reconciliation.Row row(String msgId, String setlId, String status, String fund, String account, String cash) {
        return new Reconciliation.Row(msgId, setlId, status, fund == null ? null : d(fund), account == null ? null : d(account),
                cash == null ? null : d(cash));
    }

    static boolean ok(Reconciliation.Outcome o, String check) {
        return o.checks().stream().filter(c -> c.name().startsWith(check)).findFirst().orElseThrow().ok();
    }

    /** A consistent run: two settled (one later cancelled), one rejected, one 202 settled meanwhile, one 429. */
    static List<Reconciliation.Answer> answers() {
        List<Reconciliation.Answer> a = new ArrayList<>();
        a.add(settled("M1", "S1", "7.00", "3.00", "0.00"));
        a.add(new Reconciliation.Answer("M2", 200, "SETTLED", "S2", d("0.00"), d("18.00"), d("2.00"), "CANCEL", 200, "CANCELLED"));
        a.add(new Reconciliation.Answer("M3", 200, "REJECTED", "S3", null, null, null, null, 0, null));
        a.add(new Reconciliation.Answer("M4", 202, "PENDING", null, null, null, null, null, 0, null));
        a.add(new Reconciliation.Answer("M5", 429, "ERROR", null, null, null, null, null, 0, null));
        return a;
    }

    static List<Reconciliation.Row> rows() {
        List<Reconciliation.Row> r = new ArrayList<>();
        r.add(row("M1", "S1", "SETTLED", "7.00", "3.00", "0.00"));
        r.add(row("M2", "S2", "CANCELLED", "0.00", "18.00", "2.00"));
        r.add(row("M3", "S3", "REJECTED", null, null, null));
        r.add(row("M4", "S4", "SETTLED", "1.00", "4.00", "0.00"));
        return r;
    }

    @Test
    void aConsistentRunPassesEveryCheck() {
        // balances fell by the account payments still standing: 3.00 (M1) + 4.00 (M4); M2's 18.00 was given back
        Reconciliation.Outcome o = Reconciliation.checkAnswers(answers(), rows(), 0, d("1000.00"), d("993.00"));

        assertThat(o.checks()).allMatch(Reconciliation.Check::ok);
        assertThat(o.ok()).isTrue();
        assertThat(o.figures().get("resolvedFromDatabase")).isEqualTo(java.util.Map.of("SETTLED", 1L));
    }

    @Test
    void aSettledAnswerWithoutItsRowIsALostSettlement() {
        List<Reconciliation.Row> rows = rows();
        rows.remove(0);

        Reconciliation.Outcome o = Reconciliation.checkAnswers(answers(), rows, 0, null, null);

        assertThat(ok(o, "every SETTLED answer")).isFalse();
        assertThat(ok(o, "settlements recorded = successful answers")).isFalse();
        assertThat(o.ok()).isFalse();
    }

    @Test
    void aRowWithOtherAmountsThanTheAnswerIsFound() {
        List<Reconciliation.Row> rows = rows();
        rows.set(0, row("M1", "S1", "SETTLED", "7.00", "3.01", "0.00"));

        Reconciliation.Outcome o = Reconciliation.checkAnswers(answers(), rows, 0, null, null);

        assertThat(ok(o, "every SETTLED answer")).isFalse();
        assertThat(ok(o, "fund/account/cash of SETTLED answers")).isFalse();
    }

    @Test
    void duplicatesInTheDatabaseOrInTheAnswersAreFound() {
        Reconciliation.Outcome dbDuplicate = Reconciliation.checkAnswers(answers(), rows(), 1, null, null);
        List<Reconciliation.Answer> answers = answers();
        answers.add(settled("M6", "S1", "0.00", "1.00", "0.00")); // a second msgId answered with the same setlId
        List<Reconciliation.Row> rows = rows();
        rows.add(row("M6", "S1", "SETTLED", "0.00", "1.00", "0.00"));
        Reconciliation.Outcome answerDuplicate = Reconciliation.checkAnswers(answers, rows, 0, null, null);

        assertThat(ok(dbDuplicate, "no duplicated settlement")).isFalse();
        assertThat(ok(answerDuplicate, "no duplicated settlement")).isFalse();
    }

    @Test
    void aRowForARefusedRequestOrForAMsgIdNeverSentIsFound() {
        List<Reconciliation.Row> rows = rows();
        rows.add(row("M5", "S5", "SETTLED", "0.00", "1.00", "0.00"));
        rows.add(row("M9", "S9", "SETTLED", "0.00", "1.00", "0.00"));

        Reconciliation.Outcome o = Reconciliation.checkAnswers(answers(), rows, 0, null, null);

        assertThat(ok(o, "nothing recorded for refused")).isFalse();
        assertThat(ok(o, "no row the load generator did not send")).isFalse();
    }

    @Test
    void aCancellationAnsweredButNotRecordedIsFound() {
        List<Reconciliation.Row> rows = rows();
        rows.set(1, row("M2", "S2", "SETTLED", "0.00", "18.00", "2.00"));

        Reconciliation.Outcome o = Reconciliation.checkAnswers(answers(), rows, 0, d("1000.00"), d("993.00"));

        assertThat(ok(o, "cancellations and reversals")).isFalse();
        assertThat(ok(o, "still-settled sums")).isFalse();
        assertThat(ok(o, "account balances fell")).isFalse();
    }

    @Test
    void anUndoWhoseAnswerNeverCameMayHaveHappened() {
        List<Reconciliation.Answer> answers = answers();
        answers.set(0, new Reconciliation.Answer("M1", 200, "SETTLED", "S1", d("7.00"), d("3.00"), d("0.00"), "REVERSAL", 0,
                "TIMEOUT"));
        List<Reconciliation.Row> rows = rows();
        rows.set(0, row("M1", "S1", "REVERSED", "7.00", "3.00", "0.00"));

        Reconciliation.Outcome o = Reconciliation.checkAnswers(answers, rows, 0, null, null);

        // the database tells what became of it, as the POS would learn by polling
        assertThat(o.ok()).isTrue();
        assertThat(o.figures().get("unansweredUndoResolvedFromDatabase")).isEqualTo(java.util.Map.of("REVERSAL → REVERSED", 1L));
    }

    @Test
    void anUnansweredUndoThatDidNotHappenLeavesTheSettlementStanding() {
        List<Reconciliation.Answer> answers = answers();
        answers.set(0, new Reconciliation.Answer("M1", 200, "SETTLED", "S1", d("7.00"), d("3.00"), d("0.00"), "CANCEL", 202,
                "PENDING"));

        Reconciliation.Outcome o = Reconciliation.checkAnswers(answers, rows(), 0, d("1000.00"), d("993.00"));

        assertThat(o.ok()).isTrue();
        assertThat(o.figures().get("unansweredUndoResolvedFromDatabase")).isEqualTo(java.util.Map.of("CANCEL → SETTLED", 1L));
    }
}
