package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementCommand;
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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static cn.pharmacyclaims.settlement.support.Scenario.nowBeijing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group commit: a round's SETTLEs of different persons share one transaction. It must decide
 * exactly as one transaction per settlement does (CLM-01..CLM-12), and a group that fails must
 * change nothing and fall back to one by one.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class GroupCommitTest {

    @Inject
    Pool pool;

    @Inject
    ClaimProcessor processor;

    /** Two worlds alike: same persons, items and policy, in two regions of the same database. */
    private static final class World {
        final Scenario s;
        final List<String> persons = new ArrayList<>();
        final List<String> items = new ArrayList<>();

        World(Pool pool) {
            s = Scenario.ready(pool);
            for (int i = 0; i < 24; i++) {
                switch (i % 4) {
                    case 0 -> persons.add(s.person("EMPLOYEE", "300.00", s.disease));
                    case 1 -> persons.add(s.person("EMPLOYEE", "40.00"));
                    case 2 -> persons.add(s.person("RESIDENT", "0.00", s.disease));
                    default -> persons.add(s.person("EMPLOYEE", "0.00"));
                }
            }
            items.add(s.item("A", false, null, s.disease)); // chronic
            items.add(s.item("A", true, null)); // Rx: pooling on an e-prescription
            items.add(s.item("B", false, "12.00")); // B class with a payment standard
            items.add(s.item("A", false, null));
            items.add(s.item("NON_MEDICAL", false, null)); // rejected
        }
    }

    /** A script step: who buys what; or a replay / a reused msgId of an earlier step. */
    private record Step(int person, int item, String quantity, String price, int days, int replayOf, boolean conflict) {
    }

    private static List<Step> script(long seed, int n) {
        Random rnd = new Random(seed);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i > 10 && rnd.nextInt(12) == 0) {
                steps.add(new Step(0, 0, null, null, 0, rnd.nextInt(i), rnd.nextBoolean())); // CLM-01 replay or conflict
                continue;
            }
            steps.add(new Step(rnd.nextInt(24), rnd.nextInt(5), String.valueOf(1 + rnd.nextInt(3)),
                    (10 + rnd.nextInt(90)) + "." + (10 + rnd.nextInt(90)), rnd.nextInt(4) == 0 ? 0 : 5 + rnd.nextInt(30), -1, false));
        }
        return steps;
    }

    private static List<SettlementCommand> commands(World w, List<Step> steps, OffsetDateTime at) {
        List<SettlementCommand> out = new ArrayList<>();
        for (Step st : steps) {
            if (st.replayOf() >= 0) {
                SettlementCommand original = out.get(st.replayOf());
                if (!st.conflict()) {
                    out.add(original); // the same command delivered again
                    continue;
                }
                SettlementRequest r = original.settlement();
                out.add(w.s.settle(new SettlementRequest(r.msgId(), r.pharmacyCode(), r.occurredAt(), r.operatorId(), r.insured(),
                        r.purchaser(), r.prescription(), r.useAccount(),
                        List.of(line(1, w.items.get(3), "9", "1.00", null))))); // same msgId, another body
                continue;
            }
            String psn = w.persons.get(st.person());
            String item = w.items.get(st.item());
            SettlementRequest.Prescription rx = st.item() == 1 ? w.s.eRx(psn, at) : null;
            out.add(w.s.settle(w.s.request(psn, at, rx, line(1, item, st.quantity(), st.price(), st.days() == 0 ? null : st.days()))));
        }
        return out;
    }

    @Test
    void groupedSettlementsDecideExactlyAsOneTransactionEach_CLM01_CLM08_CLM11_CLM12() {
        OffsetDateTime at = nowBeijing();
        World single = new World(pool);
        World grouped = new World(pool);
        List<Step> steps = script(20261123L, 160);
        List<SettlementCommand> one = commands(single, steps, at);
        List<SettlementCommand> many = commands(grouped, steps, at);

        List<CommandOutcome> byOne = new ArrayList<>();
        for (SettlementCommand c : one) {
            byOne.add(processor.process(c).await().atMost(Duration.ofSeconds(30)));
        }
        // As the consumer does: rounds by person (each person's commands in order), each round's
        // settlements of different persons and msgIds in groups; the rest one by one.
        List<CommandOutcome> byGroup = new ArrayList<>(java.util.Collections.nCopies(many.size(), (CommandOutcome) null));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < many.size(); i++) {
            order.add(i);
        }
        int groups = 0;
        for (List<Integer> round : KeyOrdered.rounds(KeyOrdered.groups(order, i -> many.get(i).settlement().psnNo()))) {
            List<Integer> group = new ArrayList<>();
            java.util.Set<String> msgIds = new java.util.HashSet<>();
            for (int i : round) {
                if (msgIds.add(many.get(i).settlement().msgId())) {
                    group.add(i);
                } else {
                    byGroup.set(i, processor.process(many.get(i)).await().atMost(Duration.ofSeconds(30)));
                }
            }
            List<CommandOutcome> outcomes = processor.settleAll(group.stream().map(many::get).toList())
                    .await().atMost(Duration.ofSeconds(30));
            for (int k = 0; k < group.size(); k++) {
                byGroup.set(group.get(k), outcomes.get(k));
            }
            groups += group.size() > 1 ? 1 : 0;
        }
        assertThat(groups).isGreaterThan(3);

        for (int i = 0; i < steps.size(); i++) {
            CommandOutcome a = byOne.get(i);
            CommandOutcome b = byGroup.get(i);
            assertThat(b.outcome()).as("step %d", i).isEqualTo(a.outcome());
            if (a.result() == null) {
                continue;
            }
            assertThat(b.result().status()).as("step %d", i).isEqualTo(a.result().status());
            assertThat(b.result().rejects().stream().map(SettlementResult.Reject::code).toList()).as("step %d", i)
                    .isEqualTo(a.result().rejects().stream().map(SettlementResult.Reject::code).toList());
            assertThat(String.valueOf(b.result().totals())).as("step %d totals", i).isEqualTo(String.valueOf(a.result().totals()));
            assertThat(String.valueOf(b.result().accountBalanceAfter())).as("step %d balance", i)
                    .isEqualTo(String.valueOf(a.result().accountBalanceAfter()));
            assertThat(b.result().lines().stream().map(l -> l.fundPay() + "/" + l.benefit() + "/" + l.accountPay()).toList())
                    .as("step %d lines", i)
                    .isEqualTo(a.result().lines().stream().map(l -> l.fundPay() + "/" + l.benefit() + "/" + l.accountPay()).toList());
        }
        long settled = byOne.stream().filter(o -> o.result() != null && o.result().status() == SettlementStatus.SETTLED).count();
        long rejected = byOne.stream().filter(o -> o.result() != null && o.result().status() == SettlementStatus.REJECTED).count();
        assertThat(settled).isGreaterThan(40);
        assertThat(rejected).isGreaterThan(5);
        // the script reaches several rules, not only the happy path (replays and conflicts included)
        assertThat(byOne.stream().filter(o -> o.result() != null).flatMap(o -> o.result().rejects().stream())
                .map(SettlementResult.Reject::code).distinct().count()).isGreaterThanOrEqualTo(3);
        assertThat(byOne.stream().filter(o -> o.outcome() == SettlementReply.Outcome.CONFLICT).count()).isPositive();
        for (int p = 0; p < 24; p++) {
            String a = single.persons.get(p);
            String b = grouped.persons.get(p);
            assertThat(grouped.s.balance(b)).as("person %d", p).isEqualByComparingTo(single.s.balance(a));
            assertThat(grouped.s.accumulators(b, at.getYear())).as("person %d", p).isEqualTo(single.s.accumulators(a, at.getYear()));
            assertThat(grouped.s.chronicFundPaid(b, at.getYear(), grouped.s.disease)).as("person %d", p)
                    .isEqualByComparingTo(single.s.chronicFundPaid(a, at.getYear(), single.s.disease));
        }
        assertThat(count("SELECT count(*) FROM settlement WHERE pharmacy_code = $1", grouped.s.pharmacyCode))
                .isEqualTo(count("SELECT count(*) FROM settlement WHERE pharmacy_code = $1", single.s.pharmacyCode));
    }

    @Test
    void aGroupWithTheSameMsgIdTwiceFailsWholeAndRecordsNothing_CLM01() {
        World w = new World(pool);
        OffsetDateTime at = nowBeijing();
        SettlementCommand a = w.s.settle(w.s.request(w.persons.get(1), at, null, line(1, w.items.get(3), "1", "10.00", null)));
        SettlementRequest r = a.settlement();
        SettlementCommand sameMsgId = w.s.settle(new SettlementRequest(r.msgId(), r.pharmacyCode(), r.occurredAt(), r.operatorId(),
                new SettlementRequest.Insured(w.persons.get(3), r.insured().certType(), Scenario.certNo(w.persons.get(3))),
                null, null, true, r.lines()));
        SettlementCommand b = w.s.settle(w.s.request(w.persons.get(5), at, null, line(1, w.items.get(3), "1", "10.00", null)));

        Uni<List<CommandOutcome>> group = processor.settleAll(List.of(a, b, sameMsgId));
        assertThat(group.onItemOrFailure().transform((items, failure) -> failure).await().atMost(Duration.ofSeconds(30))).isNotNull();
        assertThat(count("SELECT count(*) FROM settlement WHERE pharmacy_code = $1", w.s.pharmacyCode)).isZero();
        assertThat(w.s.balance(w.persons.get(1))).isEqualByComparingTo("40.00");
    }

    @Test
    void aBurstOfDifferentPersonsIsSettledInFewerTransactionsThanSettlements() {
        World w = new World(pool);
        TestKafka kafka = w.s.kafka();
        OffsetDateTime at = nowBeijing();
        List<SettlementCommand> commands = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (String psn : w.persons) {
                commands.add(w.s.settle(w.s.request(psn, at, null, line(1, w.items.get(3), "1", "10.00", null))));
            }
        }
        kafka.sendAll(commands.stream().map(c -> new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, c.settlement().psnNo(), Json.write(c)))
                .toList());

        List<SettlementReply> replies = commands.stream().map(c -> kafka.awaitReply(c.commandId())).toList();
        assertThat(replies).extracting(rep -> rep.result().status()).containsOnly(SettlementStatus.SETTLED);
        // rows written by one transaction share its xmin
        long transactions = count("SELECT count(DISTINCT xmin::text) FROM settlement WHERE pharmacy_code = $1", w.s.pharmacyCode);
        assertThat(count("SELECT count(*) FROM settlement WHERE pharmacy_code = $1", w.s.pharmacyCode)).isEqualTo(48);
        assertThat(transactions).isLessThan(48);
        // each person: 2 × 10.00, the account (40.00 or 300.00) paying what the fund does not
        for (int p = 0; p < 24; p++) {
            assertThat(count("SELECT count(*) FROM settlement WHERE psn_no = $1 AND status = 'SETTLED'", w.persons.get(p))).isEqualTo(2);
        }
    }

    /**
     * A group whose transaction fails (here: the database refuses one of its settlements) records
     * nothing; its settlements then run one by one: the others settle, the refused one is retried
     * and dead-lettered, nothing is lost or settled twice.
     */
    @Test
    void aFailedGroupFallsBackToOneByOne_andOnlyTheBadSettlementIsDeadLettered() {
        World w = new World(pool);
        TestKafka kafka = w.s.kafka();
        OffsetDateTime at = nowBeijing();
        List<SettlementCommand> commands = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            commands.add(w.s.settle(w.s.request(w.persons.get(p), at, null, line(1, w.items.get(3), "1", "10.00", null))));
        }
        String refused = commands.get(5).settlement().msgId();
        String fn = "refuse_" + w.s.region;
        pool.query("CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.msg_id = '" + refused + "' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$").execute()
                .await().atMost(Duration.ofSeconds(10));
        pool.query("CREATE TRIGGER " + fn + " BEFORE INSERT ON settlement FOR EACH ROW EXECUTE FUNCTION " + fn + "()").execute()
                .await().atMost(Duration.ofSeconds(10));
        try {
            kafka.sendAll(commands.stream().map(c -> new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, c.settlement().psnNo(),
                    Json.write(c))).toList());
            for (int p = 0; p < 8; p++) {
                if (p != 5) {
                    assertThat(kafka.awaitReply(commands.get(p).commandId()).result().status()).isEqualTo(SettlementStatus.SETTLED);
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.records(Topics.SETTLEMENT_REQUESTS_DLQ).stream()
                    .anyMatch(r -> r.value().contains(refused)));
        } finally {
            pool.query("DROP TRIGGER " + fn + " ON settlement").execute().await().atMost(Duration.ofSeconds(10));
            pool.query("DROP FUNCTION " + fn + "()").execute().await().atMost(Duration.ofSeconds(10));
        }
        assertThat(kafka.replies(commands.get(5).commandId())).isEmpty();
        assertThat(count("SELECT count(*) FROM settlement WHERE pharmacy_code = $1", w.s.pharmacyCode)).isEqualTo(7);
        assertThat(w.s.settlementRows(refused)).isZero();
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
