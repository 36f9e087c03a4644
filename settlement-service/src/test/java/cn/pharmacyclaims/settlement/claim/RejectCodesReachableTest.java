package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.PharmacyStatus;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementCommand;
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
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static cn.pharmacyclaims.settlement.support.Scenario.nowBeijing;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3: "every reject code is reachable and tested; a rejected request changes no balance,
 * accumulator or prescription". One request per reject code of POS-API.md, each for a person of
 * its own, driven through Kafka; for each: the code answered, the REJECTED row recorded, and the
 * person's balance, accumulators, supplies, prescription uses and standing settlements exactly as
 * before.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class RejectCodesReachableTest {

    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        TestClock.INSTANCE.reset();
    }

    /** One request expected to be rejected with {@code code}, for {@code psnNo}; {@code rxNo} the prescription it names. */
    record Case(RejectCode code, String psnNo, SettlementCommand command, String rxNo) {
    }

    @Test
    void everyRejectCodeIsReachable_andARejectedRequestChangesNothing_CLM02_to_CLM15() {
        Scenario s = Scenario.ready(pool);
        Scenario suspended = Scenario.ready(pool);
        suspended.publishPharmacy(PharmacyStatus.SUSPENDED, 2);
        Scenario onHold = Scenario.ready(pool);
        onHold.publishPharmacy(PharmacyStatus.SETTLEMENT_HOLD, 2);
        TestKafka kafka = s.kafka();
        OffsetDateTime at = nowBeijing();
        String otc = s.item("A", false, null);
        String rxDrug = s.item("A", true, null);
        String shampoo = s.item("NON_MEDICAL", false, null);
        List<String> sixDrugs = s.items(6, "A", true, null);
        List<Case> cases = new ArrayList<>();

        // CLM-02
        String p1 = employee(s);
        SettlementRequest unknownPharmacy = s.request(p1, at, null, line(1, otc, "1", "10.00", 3));
        unknownPharmacy = new SettlementRequest(unknownPharmacy.msgId(), "P999" + s.region + "99", at, "op-7",
                unknownPharmacy.insured(), null, null, true, unknownPharmacy.lines());
        cases.add(new Case(RejectCode.PHARMACY_UNKNOWN, p1, s.settle(unknownPharmacy), null));
        String p2 = employee(s);
        cases.add(new Case(RejectCode.AGREEMENT_NOT_ACTIVE, p2, suspended.settle(suspended.request(p2, at, null,
                line(1, otc, "1", "10.00", 3))), null));
        String p3 = employee(s);
        cases.add(new Case(RejectCode.SETTLEMENT_HOLD, p3, onHold.settle(onHold.request(p3, at, null,
                line(1, otc, "1", "10.00", 3))), null));
        String p4 = employee(s);
        SettlementRequest lentTerminal = s.request(p4, at, null, line(1, otc, "1", "10.00", 3));
        cases.add(new Case(RejectCode.TERMINAL_PHARMACY_MISMATCH, p4, command(onHold.terminalId, lentTerminal), null));
        // CLM-03
        String unknown = "44" + s.region + "999999999999";
        cases.add(new Case(RejectCode.INSURED_UNKNOWN, unknown, s.settle(s.request(unknown, at, null,
                line(1, otc, "1", "10.00", 3))), null));
        String lapsed = s.person("EMPLOYEE", "100.00", row -> row.put("status", "LAPSED"));
        cases.add(new Case(RejectCode.INSURED_NOT_ELIGIBLE, lapsed, s.settle(s.request(lapsed, at, null,
                line(1, otc, "1", "10.00", 3))), null));
        String lost = s.person("EMPLOYEE", "100.00", row -> row.put("cardLost", true));
        cases.add(new Case(RejectCode.CARD_REPORTED_LOST, lost, s.settle(s.request(lost, at, null,
                line(1, otc, "1", "10.00", 3))), null));
        String p5 = employee(s);
        SettlementRequest wrongCard = s.request(p5, at, null, line(1, otc, "1", "10.00", 3));
        wrongCard = new SettlementRequest(wrongCard.msgId(), s.pharmacyCode, at, "op-7",
                new SettlementRequest.Insured(p5, SettlementRequest.CertType.SOCIAL_CARD, "C-someone-else"), null, null, true,
                wrongCard.lines());
        cases.add(new Case(RejectCode.IDENTITY_MISMATCH, p5, s.settle(wrongCard), null));
        // CLM-04
        String p6 = employee(s);
        SettlementRequest proxy = s.request(p6, at, null, line(1, otc, "1", "10.00", 3));
        proxy = new SettlementRequest(proxy.msgId(), s.pharmacyCode, at, "op-7", proxy.insured(),
                new SettlementRequest.Purchaser("440102199001011234", null), null, true, proxy.lines());
        cases.add(new Case(RejectCode.PROXY_IDENTITY_REQUIRED, p6, s.settle(proxy), null));
        // CLM-05
        String p7 = employee(s);
        cases.add(new Case(RejectCode.ITEM_UNKNOWN, p7, s.settle(s.request(p7, at, null,
                line(1, "XUNKNOWN" + s.region, "1", "10.00", 3))), null));
        String p8 = employee(s);
        cases.add(new Case(RejectCode.NON_MEDICAL_ITEM, p8, s.settle(s.request(p8, at, null,
                line(1, otc, "1", "10.00", 3), line(2, shampoo, "1", "39.90", null))), null));
        // CLM-06
        String p9 = employee(s);
        cases.add(new Case(RejectCode.RX_REQUIRED, p9, s.settle(s.request(p9, at, null,
                line(1, rxDrug, "1", "10.00", 3))), null));
        String p10 = employee(s);
        SettlementRequest.Prescription forSomeoneElse = s.eRx(p1, at);
        cases.add(new Case(RejectCode.RX_PATIENT_MISMATCH, p10, s.settle(s.request(p10, at, forSomeoneElse,
                line(1, rxDrug, "1", "10.00", 3))), forSomeoneElse.rxNo()));
        String p11 = employee(s);
        SettlementRequest.Prescription byStranger = withPhysician(s.eRx(p11, at), "D9999");
        cases.add(new Case(RejectCode.RX_PRESCRIBER_NOT_DESIGNATED, p11, s.settle(s.request(p11, at, byStranger,
                line(1, rxDrug, "1", "10.00", 3))), byStranger.rxNo()));
        String p12 = employee(s);
        SettlementRequest.Prescription old = s.eRx(p12, at.minusDays(2));
        cases.add(new Case(RejectCode.RX_EXPIRED, p12, s.settle(s.request(p12, at, old,
                line(1, rxDrug, "1", "10.00", 3))), old.rxNo()));
        String p13 = employee(s);
        SettlementRequest.Prescription long6 = s.eRx(p13, at);
        SettlementRequest.Line[] six = new SettlementRequest.Line[6];
        for (int i = 0; i < 6; i++) {
            six[i] = line(i + 1, sixDrugs.get(i), "1", "1.00", 3);
        }
        cases.add(new Case(RejectCode.RX_TOO_MANY_ITEMS, p13, s.settle(s.request(p13, at, long6, six)), long6.rxNo()));
        String p14 = employee(s);
        SettlementRequest.Prescription used = s.eRx(p14, at);
        settled(kafka, s.settle(s.request(p14, at, used, line(1, rxDrug, "1", "10.00", 3))));
        cases.add(new Case(RejectCode.RX_ALREADY_DISPENSED, p14, s.settle(s.request(p14, at, used,
                line(1, sixDrugs.get(0), "1", "10.00", 3))), used.rxNo()));
        String p15 = employee(s);
        SettlementRequest.Prescription registered = s.eRx(p15, at);
        s.register(registered, rxDrug, "1");
        cases.add(new Case(RejectCode.RX_ITEM_NOT_PRESCRIBED, p15, s.settle(s.request(p15, at, registered,
                line(1, rxDrug, "2", "10.00", 3))), registered.rxNo()));
        String p16 = employee(s);
        SettlementRequest.Prescription unreviewed = s.eRx(p16, at);
        cases.add(new Case(RejectCode.PHARMACIST_MISSING, p16, s.settle(s.request(p16, at, unreviewed,
                new SettlementRequest.Line(1, rxDrug, java.math.BigDecimal.ONE, java.math.BigDecimal.TEN, 3, null))),
                unreviewed.rxNo()));
        // CLM-07, CLM-08, CLM-10
        String p17 = employee(s);
        cases.add(new Case(RejectCode.DAYS_SUPPLY_EXCEEDED, p17, s.settle(s.request(p17, at, null,
                line(1, otc, "1", "10.00", 8))), null));
        String p18 = employee(s);
        settled(kafka, s.settle(s.request(p18, at, null, line(1, otc, "1", "10.00", 7))));
        cases.add(new Case(RejectCode.REFILL_TOO_SOON, p18, s.settle(s.request(p18, at, null,
                line(1, otc, "1", "10.00", 7))), null));
        String p19 = employee(s);
        cases.add(new Case(RejectCode.PRICE_INVALID, p19, s.settle(s.request(p19, at, null,
                line(1, otc, "1", "10.00001", 3))), null));
        // CLM-15
        String p20 = employee(s);
        SettlementRequest reversedFirst = s.request(p20, at, null, line(1, otc, "1", "10.00", 3));
        SettlementCommand reversal = s.reverse(reversedFirst.msgId());
        kafka.send(reversal);
        assertThat(kafka.awaitReply(reversal.commandId()).result().status()).isEqualTo(SettlementStatus.REVERSED);
        cases.add(new Case(RejectCode.REVERSED_BEFORE_ARRIVAL, p20, s.settle(reversedFirst), null));

        // Before: every person's state. Then all rejected requests at once, on spread keys.
        List<List<String>> before = cases.stream().map(c -> state(s, c)).toList();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        cases.forEach(c -> records.add(new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, UUID.randomUUID().toString(),
                Json.write(c.command()))));
        kafka.sendAll(records);

        Set<RejectCode> reached = EnumSet.noneOf(RejectCode.class);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            SettlementReply reply = kafka.awaitReply(c.command().commandId());
            assertThat(reply.outcome()).as(c.code().name()).isEqualTo(SettlementReply.Outcome.RESULT);
            SettlementResult r = reply.result();
            assertThat(r.status()).as(c.code().name()).isEqualTo(SettlementStatus.REJECTED);
            assertThat(r.rejects()).as(c.code().name()).isNotEmpty().extracting(SettlementResult.Reject::code).containsOnly(c.code());
            assertThat(r.totals()).as(c.code().name()).isNull();
            assertThat(r.accountBalanceAfter()).as(c.code().name()).isNull();
            // recorded as rejected (CLM-01: its replay answers the same), and nothing else changed
            Row row = s.query("SELECT status, reject_codes FROM settlement WHERE msg_id = $1",
                    Tuple.of(c.command().settlement().msgId())).iterator().next();
            assertThat(row.getString("status")).as(c.code().name()).isEqualTo("REJECTED");
            assertThat(row.getArrayOfStrings("reject_codes")).as(c.code().name()).containsExactly(c.code().name());
            assertThat(state(s, c)).as(c.code() + ": balance, accumulators, supplies, prescription uses")
                    .isEqualTo(before.get(i));
            reached.add(c.code());
        }

        // CLM-14: a cancellation on the next day is refused and changes nothing either
        String p21 = employee(s);
        TestClock.INSTANCE.fix(at.toInstant());
        SettlementResult sold = settled(kafka, s.settle(s.request(p21, at, null, line(1, otc, "1", "10.00", 3))));
        Case cancel = new Case(RejectCode.CANCEL_NOT_ALLOWED, p21, s.cancel(sold.setlId()), null);
        List<String> beforeCancel = state(s, cancel);
        TestClock.INSTANCE.fix(at.plusDays(1).toInstant());
        kafka.send(cancel.command());
        SettlementResult refused = kafka.awaitReply(cancel.command().commandId()).result();
        assertThat(refused.status()).isEqualTo(SettlementStatus.REJECTED);
        assertThat(refused.rejects()).extracting(SettlementResult.Reject::code).containsExactly(RejectCode.CANCEL_NOT_ALLOWED);
        assertThat(s.status(sold.setlId())).isEqualTo("SETTLED");
        assertThat(state(s, cancel)).isEqualTo(beforeCancel);
        reached.add(RejectCode.CANCEL_NOT_ALLOWED);

        assertThat(reached).as("every reject code of POS-API.md").containsExactlyInAnyOrder(RejectCode.values());
    }

    private static String employee(Scenario s) {
        return s.person("EMPLOYEE", "100.00");
    }

    private static SettlementResult settled(TestKafka kafka, SettlementCommand cmd) {
        kafka.send(cmd);
        SettlementResult r = kafka.awaitReply(cmd.commandId()).result();
        assertThat(r.status()).isEqualTo(SettlementStatus.SETTLED);
        return r;
    }

    private static SettlementCommand command(String terminalId, SettlementRequest r) {
        return new SettlementCommand(UUID.randomUUID().toString(), CommandType.SETTLE, "test-gateway", terminalId,
                OffsetDateTime.now(Scenario.BEIJING), Scenario.sha256(Json.write(r)), r, null, null);
    }

    private static SettlementRequest.Prescription withPhysician(SettlementRequest.Prescription p, String physician) {
        return new SettlementRequest.Prescription(p.rxNo(), p.electronic(), p.institutionCode(), physician, p.patientPsnNo(),
                p.issuedAt(), p.validDays(), p.diagnosisCode());
    }

    /** Everything a settlement may change for the person (CLM-12, CLM-08, CLM-06), as comparable text. */
    private static List<String> state(Scenario s, Case c) {
        Tuple psn = Tuple.of(c.psnNo());
        List<String> out = new ArrayList<>();
        s.query("SELECT balance FROM account WHERE psn_no = $1", psn).forEach(r -> out.add("balance " + r.getBigDecimal(0)));
        s.query("SELECT year, pooling_deductible_used, pooling_fund_paid, account_paid FROM accumulator WHERE psn_no = $1 ORDER BY year",
                psn).forEach(r -> out.add("accumulator " + r.getInteger(0) + " " + r.getBigDecimal(1) + " " + r.getBigDecimal(2)
                + " " + r.getBigDecimal(3)));
        s.query("SELECT year, disease_code, fund_paid FROM chronic_accumulator WHERE psn_no = $1 ORDER BY year, disease_code", psn)
                .forEach(r -> out.add("chronic " + r.getInteger(0) + " " + r.getString(1) + " " + r.getBigDecimal(2)));
        s.query("SELECT setl_id, seq, item_code, sale_date, days_supply, live FROM supply WHERE psn_no = $1 ORDER BY setl_id, seq", psn)
                .forEach(r -> out.add("supply " + r.getString(0) + " " + r.getInteger(1) + " " + r.getString(2) + " "
                        + r.getLocalDate(3) + " " + r.getInteger(4) + " " + r.getBoolean(5)));
        s.query("""
                        SELECT u.setl_id, u.rx_no, u.live FROM prescription_use u JOIN settlement st ON st.setl_id = u.setl_id
                        WHERE st.psn_no = $1 OR u.rx_no = $2 ORDER BY u.setl_id""", Tuple.of(c.psnNo(), c.rxNo()))
                .forEach(r -> out.add("rx use " + r.getString(0) + " " + r.getString(1) + " " + r.getBoolean(2)));
        s.query("SELECT setl_id, status FROM settlement WHERE psn_no = $1 AND status <> 'REJECTED' ORDER BY setl_id", psn)
                .forEach(r -> out.add("settlement " + r.getString(0) + " " + r.getString(1)));
        return out;
    }
}
