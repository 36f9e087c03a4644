package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementReply;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.settlement.support.Scenario;
import cn.pharmacyclaims.settlement.support.TestClock;
import cn.pharmacyclaims.settlement.support.TestKafka;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static cn.pharmacyclaims.settlement.support.Scenario.nowBeijing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** CLM-14 cancellation and CLM-15 timeout reversal, through Kafka, with the service's clock under control. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class CancelAndReversalTest {

    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    private static String money(BigDecimal b) {
        return b == null ? null : b.toPlainString();
    }

    private static SettlementResult run(TestKafka kafka, SettlementCommand cmd) {
        kafka.send(cmd);
        SettlementReply reply = kafka.awaitReply(cmd.commandId());
        assertThat(reply.outcome()).isEqualTo(SettlementReply.Outcome.RESULT);
        return reply.result();
    }

    @Test
    void cancelOnTheSaleDayRestoresBalanceAccumulatorsSupplyAndPrescription_CLM14() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        OffsetDateTime at = nowBeijing();
        TestClock.INSTANCE.fix(at.toInstant()); // the sale's own Beijing day, whatever the real time
        String psn = s.person("EMPLOYEE", "1000.00", s.disease);
        String chronicDrug = s.item("A", true, null, s.disease);
        SettlementRequest.Prescription rx = s.eRx(psn, at);
        SettlementResult settled = run(kafka, s.settle(s.request(psn, at, rx, line(1, chronicDrug, "1", "100.00", 28))));
        assertThat(settled.status()).isEqualTo(SettlementStatus.SETTLED);
        assertThat(money(s.balance(psn))).isEqualTo("970.00");
        assertThat(money(s.chronicFundPaid(psn, at.getYear(), s.disease))).isEqualTo("70.00");

        // while it stands: the same item is a refill too soon (CLM-08), the e-prescription is used (CLM-06)
        SettlementResult refill = run(kafka, s.settle(s.request(psn, at, s.eRx(psn, at), line(1, chronicDrug, "1", "100.00", 28))));
        assertThat(refill.rejects()).extracting(SettlementResult.Reject::code).contains(RejectCode.REFILL_TOO_SOON);
        SettlementResult reuse = run(kafka, s.preview(s.request(psn, at, rx, line(1, s.item("A", true, null), "1", "5.00", 1))));
        assertThat(reuse.rejects()).extracting(SettlementResult.Reject::code).containsExactly(RejectCode.RX_ALREADY_DISPENSED);

        SettlementCommand cancel = s.cancel(settled.setlId());
        SettlementResult cancelled = run(kafka, cancel);

        assertThat(cancelled.status()).isEqualTo(SettlementStatus.CANCELLED);
        assertThat(cancelled.setlId()).isEqualTo(settled.setlId());
        assertThat(cancelled.totals()).isEqualTo(settled.totals());
        assertThat(money(cancelled.accountBalanceAfter())).isEqualTo("1000.00");
        assertThat(money(s.balance(psn))).isEqualTo("1000.00");
        assertThat(money(s.chronicFundPaid(psn, at.getYear(), s.disease))).isEqualTo("0.00");
        assertThat(s.accumulators(psn, at.getYear()).get(2)).isEqualByComparingTo("0"); // account paid this year
        assertThat(s.status(settled.setlId())).isEqualTo("CANCELLED");
        SettlementDecision d = kafka.awaitDecision(settled.setlId(), DecisionEventType.CANCELLED);
        assertThat(d.status()).isEqualTo(SettlementStatus.CANCELLED);
        assertThat(money(d.totals().accountPay())).isEqualTo("30.00");
        assertThat(money(d.accountBalanceAfter())).isEqualTo("1000.00");

        // idempotent: a second cancel answers the same, changes nothing, publishes nothing new
        SettlementResult again = run(kafka, s.cancel(settled.setlId()));
        assertThat(again).isEqualTo(cancelled);
        assertThat(money(s.balance(psn))).isEqualTo("1000.00");

        // supply and prescription released: the same item and prescription settle again
        SettlementResult resettled = run(kafka, s.settle(s.request(psn, at, rx, line(1, chronicDrug, "1", "100.00", 28))));
        assertThat(resettled.status()).isEqualTo(SettlementStatus.SETTLED);
        assertThat(kafka.decisionsOf(settled.setlId())).extracting(SettlementDecision::eventType)
                .containsExactlyInAnyOrder(DecisionEventType.SETTLED, DecisionEventType.CANCELLED);
    }

    @Test
    void cancelOnALaterDayIsRefusedAndChangesNothing_CLM14() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        OffsetDateTime at = nowBeijing();
        String psn = s.person("EMPLOYEE", "300.00");
        String item = s.item("A", false, null);
        TestClock.INSTANCE.fix(at.toInstant());
        SettlementResult settled = run(kafka, s.settle(s.request(psn, at, null, line(1, item, "1", "50.00", 3))));
        assertThat(money(s.balance(psn))).isEqualTo("250.00");

        TestClock.INSTANCE.fix(at.plusDays(1).toInstant()); // the next Beijing day
        SettlementResult refused = run(kafka, s.cancel(settled.setlId()));

        assertThat(refused.status()).isEqualTo(SettlementStatus.REJECTED);
        assertThat(refused.setlId()).isEqualTo(settled.setlId());
        assertThat(refused.rejects()).hasSize(1);
        assertThat(refused.rejects().get(0).code()).isEqualTo(RejectCode.CANCEL_NOT_ALLOWED);
        assertThat(refused.rejects().get(0).message()).contains("sale date");
        assertThat(s.status(settled.setlId())).isEqualTo("SETTLED");
        assertThat(money(s.balance(psn))).isEqualTo("250.00");
    }

    @Test
    void cancelOfAnUnknownOrForeignSettlementIsNotFound_SEC02() {
        Scenario s = Scenario.ready(pool);
        Scenario other = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = other.person("EMPLOYEE", "100.00");
        String item = other.item("A", false, null);
        SettlementResult theirs = run(kafka, other.settle(other.request(psn, line(1, item, "1", "10.00", 3))));

        SettlementCommand unknown = s.cancel("S0000000000000000000000000000000");
        SettlementCommand foreign = s.cancel(theirs.setlId()); // our pharmacy, their settlement
        kafka.send(unknown);
        kafka.send(foreign);

        assertThat(kafka.awaitReply(unknown.commandId()).outcome()).isEqualTo(SettlementReply.Outcome.NOT_FOUND);
        assertThat(kafka.awaitReply(foreign.commandId()).outcome()).isEqualTo(SettlementReply.Outcome.NOT_FOUND);
        assertThat(other.status(theirs.setlId())).isEqualTo("SETTLED");
    }

    @Test
    void aReversalBeforeTheOriginalRejectsTheOriginalOnArrival_CLM15() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "100.00");
        String item = s.item("A", false, null);
        SettlementRequest original = s.request(psn, line(1, item, "2", "10.00", 3));

        SettlementCommand reversal = s.reverse(original.msgId());
        SettlementResult reversed = run(kafka, reversal);
        assertThat(reversed.status()).isEqualTo(SettlementStatus.REVERSED);
        assertThat(reversed.msgId()).isEqualTo(original.msgId());
        assertThat(reversed.setlId()).isNull();
        // idempotent
        assertThat(run(kafka, s.reverse(original.msgId())).status()).isEqualTo(SettlementStatus.REVERSED);

        SettlementResult late = run(kafka, s.settle(original));
        assertThat(late.status()).isEqualTo(SettlementStatus.REJECTED);
        assertThat(late.rejects()).extracting(SettlementResult.Reject::code).containsExactly(RejectCode.REVERSED_BEFORE_ARRIVAL);
        assertThat(money(s.balance(psn))).isEqualTo("100.00");
        assertThat(s.settlementRows(original.msgId())).isEqualTo(1);
        assertThat(kafka.awaitDecision(late.setlId(), DecisionEventType.REJECTED).rejects())
                .extracting(SettlementResult.Reject::code).containsExactly(RejectCode.REVERSED_BEFORE_ARRIVAL);
        // a redelivery of the original answers the same rejection
        assertThat(run(kafka, s.settle(original))).isEqualTo(late);
    }

    @Test
    void aReversalOfASettledOriginalCancelsIt_CLM15() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        OffsetDateTime at = nowBeijing();
        TestClock.INSTANCE.fix(at.toInstant());
        String psn = s.person("EMPLOYEE", "100.00");
        String item = s.item("A", false, null);
        SettlementRequest original = s.request(psn, at, null, line(1, item, "2", "10.00", 3));
        SettlementResult settled = run(kafka, s.settle(original));
        assertThat(money(s.balance(psn))).isEqualTo("80.00");

        SettlementResult reversed = run(kafka, s.reverse(original.msgId()));

        assertThat(reversed.status()).isEqualTo(SettlementStatus.REVERSED);
        assertThat(reversed.setlId()).isEqualTo(settled.setlId());
        assertThat(money(s.balance(psn))).isEqualTo("100.00");
        assertThat(s.status(settled.setlId())).isEqualTo("REVERSED");
        assertThat(kafka.awaitDecision(settled.setlId(), DecisionEventType.REVERSED).status()).isEqualTo(SettlementStatus.REVERSED);
        // idempotent, and the original's redelivery answers its current state
        assertThat(run(kafka, s.reverse(original.msgId()))).isEqualTo(reversed);
        assertThat(run(kafka, s.settle(original)).status()).isEqualTo(SettlementStatus.REVERSED);
        assertThat(money(s.balance(psn))).isEqualTo("100.00");
        assertThat(s.query("SELECT count(*) AS n FROM settlement_cancellation WHERE setl_id = $1", Tuple.of(settled.setlId()))
                .iterator().next().getLong("n")).isEqualTo(1);
    }

    @Test
    void settleAndReversalOfOneMsgIdRacingNeverBothStand_CLM15() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        OffsetDateTime at = nowBeijing();
        TestClock.INSTANCE.fix(at.toInstant());
        String psn = s.person("EMPLOYEE", "100.00");
        String item = s.item("A", false, null);
        SettlementRequest original = s.request(psn, at, null, line(1, item, "1", "40.00", 3));
        SettlementCommand settle = s.settle(original);
        SettlementCommand reverse = s.reverse(original.msgId());

        // different keys (psnNo, msgId): different partitions, processed concurrently, serialised by msg_claim
        kafka.sendAll(List.of(
                new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, settle.kafkaKey(), Json.write(settle)),
                new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, reverse.kafkaKey(), Json.write(reverse))));
        kafka.awaitReply(settle.commandId());
        kafka.awaitReply(reverse.commandId());

        await().atMost(Duration.ofSeconds(10)).until(() -> s.settlementRows(original.msgId()) == 1);
        String status = s.query("SELECT status FROM settlement WHERE msg_id = $1", Tuple.of(original.msgId())).iterator().next()
                .getString("status");
        // whichever came first, nothing stands and the money is back
        assertThat(status).isIn("REVERSED", "REJECTED");
        assertThat(money(s.balance(psn))).isEqualTo("100.00");
    }
}
