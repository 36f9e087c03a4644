package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementCommand;
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
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static cn.pharmacyclaims.settlement.support.Scenario.nowBeijing;
import static org.assertj.core.api.Assertions.assertThat;

/** CLM-12: many purchases of one person at the same time never overdraw the account nor overpay a cap. */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class ConcurrentSettlementTest {

    @Inject
    Pool pool;

    @Test
    void thirtyConcurrentPurchasesOfOnePersonNeverOverdrawTheAccount_CLM12() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        Map<String, Object> policy = s.policy("2020-01-01", "0.10");
        policy.put("chronicCaps", List.of(Map.of("diseaseCode", s.disease, "cap", "1000.00")));
        s.importPolicies(List.of(policy)); // replaces the scenario's version of that date
        String psn = s.person("EMPLOYEE", "500.00", s.disease);
        OffsetDateTime at = nowBeijing();

        // 30 purchases of 100.00 (distinct items, so that no refill rule interferes): chronic fund 70% up to
        // the 1000.00 cap, the account the rest up to its 500.00, cash the remainder.
        List<SettlementCommand> commands = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String item = s.item("A", false, null, s.disease);
            SettlementCommand c = s.settle(s.request(psn, at, null, line(1, item, "1", "100.00", 28)));
            commands.add(c);
            // Keys spread over the partitions so that the channel's consumers run them at the same time, as two
            // instances would during a rebalance: only the account row lock keeps them apart.
            records.add(new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, UUID.randomUUID().toString(), Json.write(c)));
        }
        kafka.sendAll(records);

        List<SettlementResult> results = commands.stream().map(c -> kafka.awaitReply(c.commandId()).result()).toList();

        assertThat(results).extracting(SettlementResult::status).containsOnly(SettlementStatus.SETTLED);
        BigDecimal accountPaid = results.stream().map(r -> r.totals().accountPay()).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal fundPaid = results.stream().map(r -> r.totals().fundPay()).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal cashPaid = results.stream().map(r -> r.totals().cashPay()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(accountPaid).isLessThanOrEqualTo(new BigDecimal("500.00")).isEqualByComparingTo("500.00");
        assertThat(fundPaid).isEqualByComparingTo("1000.00");
        assertThat(cashPaid).isEqualByComparingTo("1500.00");
        assertThat(s.balance(psn)).isGreaterThanOrEqualTo(BigDecimal.ZERO).isEqualByComparingTo("0.00");
        // every balance answered is one of a strictly decreasing sequence: no two computed from the same balance
        assertThat(results.stream().filter(r -> r.totals().accountPay().signum() > 0).map(SettlementResult::accountBalanceAfter)
                .distinct().count()).isEqualTo(results.stream().filter(r -> r.totals().accountPay().signum() > 0).count());

        // the accumulators agree with the settled rows
        Row sums = s.query("SELECT count(*) AS n, sum(account_pay) AS account, sum(fund_pay) AS fund FROM settlement "
                + "WHERE psn_no = $1 AND status = 'SETTLED'", Tuple.of(psn)).iterator().next();
        assertThat(sums.getLong("n")).isEqualTo(30);
        assertThat(sums.getBigDecimal("account")).isEqualByComparingTo(accountPaid);
        assertThat(sums.getBigDecimal("fund")).isEqualByComparingTo(fundPaid);
        assertThat(s.accumulators(psn, at.getYear()).get(2)).isEqualByComparingTo(accountPaid);
        assertThat(s.chronicFundPaid(psn, at.getYear(), s.disease)).isEqualByComparingTo("1000.00");
    }
}
