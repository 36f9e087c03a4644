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
import cn.pharmacyclaims.settlement.support.TestKafka;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static cn.pharmacyclaims.settlement.support.Scenario.nowBeijing;
import static org.assertj.core.api.Assertions.assertThat;

/** SETTLE and PREVIEW driven through Kafka, asserted on the reply, the decision stream and the database. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class SettlementFlowTest {

    @Inject
    Pool pool;

    private static String money(BigDecimal b) {
        return b == null ? null : b.toPlainString();
    }

    @Test
    void settledPurchaseHasTheExactSplitAndDebitsTheAccount_CLM11_CLM12_CLM16() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "1000.00");
        String a = s.item("A", false, null);
        String b = s.item("B", false, "12.00");
        String rxItem = s.item("A", true, null);
        OffsetDateTime at = nowBeijing();
        SettlementRequest.Prescription rx = s.eRx(psn, at);
        SettlementRequest req = s.request(psn, at, rx,
                line(1, a, "2", "12.3400", 7),      // 24.68, no benefit
                line(2, b, "1", "15.0000", 7),      // over limit 3.00, B self-pay 10% of 12.00
                line(3, rxItem, "1", "300.00", 7)); // e-prescription: outpatient pooling, 200.00 deductible, 50%
        SettlementCommand cmd = s.settle(req);

        kafka.send(cmd);
        SettlementReply reply = kafka.awaitReply(cmd.commandId());

        assertThat(reply.outcome()).isEqualTo(SettlementReply.Outcome.RESULT);
        assertThat(reply.replyTo()).isEqualTo("test-gateway");
        SettlementResult r = reply.result();
        assertThat(r.status()).isEqualTo(SettlementStatus.SETTLED);
        assertThat(r.msgId()).isEqualTo(req.msgId());
        assertThat(r.setlId()).startsWith("S");
        assertThat(r.rejects()).isEmpty();
        SettlementResult.Totals t = r.totals();
        assertThat(List.of(money(t.total()), money(t.overLimit()), money(t.outOfScope()), money(t.selfPayFirst()),
                money(t.fundPay()), money(t.accountPay()), money(t.cashPay())))
                .containsExactly("339.68", "3.00", "0.00", "1.20", "50.00", "289.68", "0.00");
        assertThat(r.lines()).hasSize(3);
        SettlementResult.LineResult l1 = r.lines().get(0), l2 = r.lines().get(1), l3 = r.lines().get(2);
        assertThat(List.of(money(l1.amount()), money(l1.eligible()), money(l1.fundPay()), money(l1.accountPay()), money(l1.cashPay())))
                .containsExactly("24.68", "24.68", "0.00", "24.68", "0.00");
        assertThat(List.of(money(l2.amount()), money(l2.overLimit()), money(l2.selfPayFirst()), money(l2.eligible()), money(l2.accountPay())))
                .containsExactly("15.00", "3.00", "1.20", "10.80", "15.00");
        assertThat(l3.benefit()).isEqualTo(SettlementResult.Benefit.POOLING);
        assertThat(List.of(money(l3.amount()), money(l3.fundPay()), money(l3.accountPay())))
                .containsExactly("300.00", "50.00", "250.00");
        assertThat(money(r.accountBalanceAfter())).isEqualTo("710.32");

        // CLM-12: balance and accumulators changed with the settlement, once
        assertThat(money(s.balance(psn))).isEqualTo("710.32");
        assertThat(s.accumulators(psn, at.getYear()).stream().map(BigDecimal::toPlainString))
                .containsExactly("200.00", "50.00", "289.68");
        assertThat(s.settlementRows(req.msgId())).isEqualTo(1);
        // CLM-16: the lines as uploaded, with the catalogue's spec and every figure
        var lineRow = s.query("SELECT item_code, spec, quantity, unit_price, rx_no, pharmacist_licence, fund_pay FROM settlement_line "
                + "WHERE setl_id = $1 AND line_no = 3", Tuple.of(r.setlId())).iterator().next();
        assertThat(lineRow.getString("item_code")).isEqualTo(rxItem);
        assertThat(lineRow.getString("spec")).isEqualTo("5mg*28");
        assertThat(lineRow.getString("rx_no")).isEqualTo(rx.rxNo());
        assertThat(lineRow.getString("pharmacist_licence")).isEqualTo("PH-0091");
        assertThat(lineRow.getBigDecimal("unit_price")).isEqualByComparingTo("300.00");

        // the public decision, through the outbox, key psnNo
        SettlementDecision d = kafka.awaitDecision(r.setlId(), DecisionEventType.SETTLED);
        assertThat(d.eventId()).isNotBlank();
        assertThat(d.status()).isEqualTo(SettlementStatus.SETTLED);
        assertThat(d.psnNo()).isEqualTo(psn);
        assertThat(d.pharmacyCode()).isEqualTo(s.pharmacyCode);
        assertThat(d.terminalId()).isEqualTo(s.terminalId);
        assertThat(d.regionCode()).isEqualTo(s.region);
        assertThat(d.operatorId()).isEqualTo("op-7");
        assertThat(d.occurredAt().toInstant()).isEqualTo(at.toInstant());
        assertThat(money(d.totals().total())).isEqualTo("339.68");
        assertThat(money(d.accountBalanceAfter())).isEqualTo("710.32");
        assertThat(d.lines()).extracting(SettlementDecision.Line::itemCode).containsExactly(a, b, rxItem);
        assertThat(d.lines()).extracting(SettlementDecision.Line::itemClass).containsExactly("A", "B", "A");
        assertThat(d.lines()).extracting(SettlementDecision.Line::rxNo).containsExactly(null, null, rx.rxNo());
        assertThat(money(d.lines().get(1).overLimit())).isEqualTo("3.00");
        assertThat(d.prescription()).isEqualTo(new SettlementDecision.RxRef(rx.rxNo(), true, s.institutionCode, s.physicianCode));
        ConsumerRecord<String, String> record = kafka.records(Topics.SETTLEMENT_DECISIONS).stream()
                .filter(x -> x.value().contains(r.setlId())).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo(psn);
        assertThat(record.value()).doesNotContain(Scenario.certNo(psn)); // AUD-23: no identity numbers on the stream
    }

    @Test
    void nonMedicalItemIsRejectedRecordedAndPublished_CLM05() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "500.00");
        String drug = s.item("A", false, null);
        String shampoo = s.item("NON_MEDICAL", false, null);
        SettlementRequest req = s.request(psn, line(1, drug, "1", "10.00", 3), line(2, shampoo, "1", "39.90", null));
        SettlementCommand cmd = s.settle(req);

        kafka.send(cmd);
        SettlementResult r = kafka.awaitReply(cmd.commandId()).result();

        assertThat(r.status()).isEqualTo(SettlementStatus.REJECTED);
        assertThat(r.rejects()).extracting(SettlementResult.Reject::code, SettlementResult.Reject::lineNo)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RejectCode.NON_MEDICAL_ITEM, 2));
        assertThat(r.totals()).isNull();
        assertThat(r.lines()).isEmpty();
        assertThat(r.setlId()).isNotNull();
        // recorded (a replay answers the same), nothing paid
        assertThat(s.status(r.setlId())).isEqualTo("REJECTED");
        assertThat(money(s.balance(psn))).isEqualTo("500.00");
        assertThat(s.query("SELECT count(*) AS n FROM supply WHERE setl_id = $1", Tuple.of(r.setlId())).iterator().next().getLong("n"))
                .isZero();
        // published for the auditors (AUD-01)
        SettlementDecision d = kafka.awaitDecision(r.setlId(), DecisionEventType.REJECTED);
        assertThat(d.status()).isEqualTo(SettlementStatus.REJECTED);
        assertThat(d.rejects()).extracting(SettlementResult.Reject::code).containsExactly(RejectCode.NON_MEDICAL_ITEM);
        assertThat(d.lines()).extracting(SettlementDecision.Line::itemClass).containsExactly("A", "NON_MEDICAL");
        assertThat(d.lines()).extracting(SettlementDecision.Line::amount).containsOnlyNulls();
        assertThat(money(d.lines().get(1).unitPrice())).isEqualTo("39.90");
    }

    @Test
    void theSameCommandDeliveredTwiceSettlesOnceAndAnswersTheSame_CLM01() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "100.00");
        String item = s.item("A", false, null);
        SettlementRequest req = s.request(psn, line(1, item, "3", "10.00", 5));
        SettlementCommand cmd = s.settle(req);
        // the gateway retrying the same body under a new command id (e.g. the POS resent after a timeout)
        SettlementCommand resent = new SettlementCommand("retry-" + cmd.commandId(), cmd.type(), cmd.replyTo(), cmd.terminalId(),
                cmd.receivedAt(), cmd.bodyHash(), cmd.settlement(), null, null);

        kafka.send(cmd);
        kafka.send(cmd); // redelivery of the very same record
        kafka.send(resent);

        List<SettlementReply> replies = kafka.awaitReplies(cmd.commandId(), 2);
        SettlementReply third = kafka.awaitReply(resent.commandId());
        assertThat(replies.get(0).result().status()).isEqualTo(SettlementStatus.SETTLED);
        assertThat(replies.get(1).result()).isEqualTo(replies.get(0).result());
        assertThat(third.result()).isEqualTo(replies.get(0).result());
        assertThat(s.settlementRows(req.msgId())).isEqualTo(1);
        assertThat(money(s.balance(psn))).isEqualTo("70.00");
        kafka.awaitDecision(replies.get(0).result().setlId(), DecisionEventType.SETTLED);
        assertThat(kafka.decisionsOf(replies.get(0).result().setlId())).hasSize(1);
    }

    @Test
    void theSameMsgIdWithAnotherBodyIsAConflict_CLM01() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "100.00");
        String item = s.item("A", false, null);
        SettlementRequest first = s.request(psn, line(1, item, "1", "10.00", 5));
        SettlementRequest other = new SettlementRequest(first.msgId(), first.pharmacyCode(), first.occurredAt(), first.operatorId(),
                first.insured(), null, null, true, List.of(line(1, item, "2", "10.00", 5)));
        SettlementCommand c1 = s.settle(first);
        SettlementCommand c2 = s.settle(other);

        kafka.send(c1);
        assertThat(kafka.awaitReply(c1.commandId()).result().status()).isEqualTo(SettlementStatus.SETTLED);
        kafka.send(c2);
        SettlementReply conflict = kafka.awaitReply(c2.commandId());

        assertThat(conflict.outcome()).isEqualTo(SettlementReply.Outcome.CONFLICT);
        assertThat(conflict.detail()).contains("DUPLICATE_MSG_ID_CONFLICT");
        assertThat(conflict.result()).isNull();
        assertThat(s.settlementRows(first.msgId())).isEqualTo(1);
        assertThat(money(s.balance(psn))).isEqualTo("90.00");
    }

    @Test
    void previewComputesTheSplitAndChangesNothing_CLM13() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "200.00", s.disease);
        String chronicDrug = s.item("A", false, null, s.disease);
        SettlementRequest req = s.request(psn, line(1, chronicDrug, "1", "100.00", 28));
        SettlementCommand preview = s.preview(req);

        kafka.send(preview);
        SettlementResult r = kafka.awaitReply(preview.commandId()).result();

        assertThat(r.status()).isEqualTo(SettlementStatus.PREVIEWED);
        assertThat(r.setlId()).isNull();
        assertThat(r.lines().get(0).benefit()).isEqualTo(SettlementResult.Benefit.CHRONIC);
        assertThat(List.of(money(r.totals().fundPay()), money(r.totals().accountPay()), money(r.accountBalanceAfter())))
                .containsExactly("70.00", "30.00", "170.00");
        assertThat(s.settlementRows(req.msgId())).isZero();
        assertThat(money(s.balance(psn))).isEqualTo("200.00");
        assertThat(s.chronicFundPaid(psn, req.occurredAt().getYear(), s.disease)).isEqualByComparingTo("0");

        // previewing is not recording: the same msgId settles afterwards, with the same figures
        SettlementCommand settle = s.settle(req);
        kafka.send(settle);
        SettlementResult settled = kafka.awaitReply(settle.commandId()).result();
        assertThat(settled.status()).isEqualTo(SettlementStatus.SETTLED);
        assertThat(settled.totals()).isEqualTo(r.totals());
        assertThat(s.chronicFundPaid(psn, req.occurredAt().getYear(), s.disease)).isEqualByComparingTo("70.00");
    }

    @Test
    void thePolicyInForceOnTheSaleDateApplies_withoutRestart() {
        Scenario s = Scenario.ready(pool); // policy from 2020-01-01 with B self-pay 10%
        TestKafka kafka = s.kafka();
        OffsetDateTime now = nowBeijing();
        s.importPolicies(List.of(s.policy(now.toLocalDate().toString(), "0.20"))); // a new version from today
        String psn = s.person("EMPLOYEE", "0.00");
        String b = s.item("B", false, null);

        SettlementCommand today = s.preview(s.request(psn, now, null, line(1, b, "1", "100.00", 3)));
        SettlementCommand yesterday = s.preview(s.request(psn, now.minusDays(1), null, line(1, b, "1", "100.00", 3)));
        kafka.send(today);
        kafka.send(yesterday);

        assertThat(money(kafka.awaitReply(today.commandId()).result().totals().selfPayFirst())).isEqualTo("20.00");
        assertThat(money(kafka.awaitReply(yesterday.commandId()).result().totals().selfPayFirst())).isEqualTo("10.00");
    }

    @Test
    void replyCarriesExactlyTheContractFields() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        String psn = s.person("EMPLOYEE", "10.00");
        String item = s.item("A", false, null);
        SettlementCommand cmd = s.settle(s.request(psn, line(1, item, "1", "12.30", 1)));
        kafka.send(cmd);
        kafka.awaitReply(cmd.commandId());

        String raw = kafka.records(Topics.GATEWAY_REPLIES).stream().filter(r -> cmd.commandId().equals(r.key()))
                .findFirst().orElseThrow().value();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = Json.read(raw, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) ((Map<String, Object>) json.get("result")).get("totals");
        // amounts are strings with 2 decimals (POS-API.md); the account paid what it held, the rest is cash
        assertThat(totals).containsEntry("accountPay", "10.00").containsEntry("cashPay", "2.30").containsEntry("total", "12.30");
        // times in Beijing time, to the millisecond at most (POS-API.md: 2026-11-23T10:15:00.120+08:00)
        @SuppressWarnings("unchecked")
        String settledAt = (String) ((Map<String, Object>) json.get("result")).get("settledAt");
        assertThat(settledAt).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?\\+08:00");
    }
}
