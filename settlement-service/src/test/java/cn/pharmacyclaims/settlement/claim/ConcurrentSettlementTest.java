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
import java.util.function.Function;

import static cn.pharmacyclaims.settlement.support.Scenario.line;
import static cn.pharmacyclaims.settlement.support.Scenario.nowBeijing;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CLM-12: many purchases of one person at the same time never overdraw the account nor overpay a
 * cap (issue 3: 50 concurrent purchases by one person).
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class ConcurrentSettlementTest {

    @Inject
    Pool pool;

    @Test
    void fiftyConcurrentPurchasesOfOnePersonNeverOverdrawTheAccountNorExceedACap_CLM12() {
        Scenario s = Scenario.ready(pool);
        TestKafka kafka = s.kafka();
        Map<String, Object> policy = s.policy("2020-01-01", "0.10");
        policy.put("chronicCaps", List.of(Map.of("diseaseCode", s.disease, "cap", "1000.00")));
        s.importPolicies(List.of(policy)); // replaces the scenario's version of that date
        String psn = s.person("EMPLOYEE", "500.00", s.disease);
        OffsetDateTime at = nowBeijing();

        // 25 chronic purchases of 100.00: chronic fund 70% would be 1750.00, capped at 1000.00.
        // 25 outpatient-pooling purchases of 200.00 (Rx on an e-prescription each): 200.00 deductible, then
        // 50% of 4800.00 would be 2400.00, capped at 2000.00. The account pays the rest up to its 500.00,
        // cash the remainder. Distinct items, so that no refill rule interferes.
        List<String> chronicItems = s.items(25, "A", false, null, s.disease);
        List<String> rxItems = s.items(25, "A", true, null);
        List<SettlementCommand> commands = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            commands.add(s.settle(s.request(psn, at, null, line(1, chronicItems.get(i), "1", "100.00", 28))));
            commands.add(s.settle(s.request(psn, at, s.eRx(psn, at), line(1, rxItems.get(i), "1", "200.00", 7))));
        }
        // Keys spread over the partitions so that the channel's consumers run them at the same time, as two
        // instances would during a rebalance: only the account row lock keeps them apart.
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        commands.forEach(c -> records.add(new ProducerRecord<>(Topics.SETTLEMENT_REQUESTS, UUID.randomUUID().toString(),
                Json.write(c))));
        kafka.sendAll(records);

        List<SettlementResult> results = commands.stream().map(c -> kafka.awaitReply(c.commandId()).result()).toList();

        assertThat(results).extracting(SettlementResult::status).containsOnly(SettlementStatus.SETTLED);
        BigDecimal accountPaid = sum(results, SettlementResult.Totals::accountPay);
        BigDecimal fundPaid = sum(results, SettlementResult.Totals::fundPay);
        BigDecimal cashPaid = sum(results, SettlementResult.Totals::cashPay);
        BigDecimal chronicFund = results.stream().flatMap(r -> r.lines().stream())
                .filter(l -> l.benefit() == SettlementResult.Benefit.CHRONIC).map(SettlementResult.LineResult::fundPay)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal poolingFund = results.stream().flatMap(r -> r.lines().stream())
                .filter(l -> l.benefit() == SettlementResult.Benefit.POOLING).map(SettlementResult.LineResult::fundPay)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        // never overdrawn: exactly the balance was spent, never more
        assertThat(accountPaid).isEqualByComparingTo("500.00");
        assertThat(s.balance(psn)).isEqualByComparingTo("0.00");
        // no cap exceeded: each fund reached its cap exactly, whatever order the purchases ran in
        assertThat(chronicFund).isEqualByComparingTo("1000.00");
        assertThat(poolingFund).isEqualByComparingTo("2000.00");
        assertThat(fundPaid).isEqualByComparingTo("3000.00");
        assertThat(cashPaid).isEqualByComparingTo("4000.00"); // 7500.00 − 3000.00 − 500.00
        // every balance answered is one of a strictly decreasing sequence: no two computed from the same balance
        List<SettlementResult> withAccount = results.stream().filter(r -> r.totals().accountPay().signum() > 0).toList();
        assertThat(withAccount.stream().map(SettlementResult::accountBalanceAfter).distinct().count()).isEqualTo(withAccount.size());

        // the accumulators agree with the settled rows, and hold the caps exactly
        Row sums = s.query("SELECT count(*) AS n, sum(account_pay) AS account, sum(fund_pay) AS fund FROM settlement "
                + "WHERE psn_no = $1 AND status = 'SETTLED'", Tuple.of(psn)).iterator().next();
        assertThat(sums.getLong("n")).isEqualTo(50);
        assertThat(sums.getBigDecimal("account")).isEqualByComparingTo(accountPaid);
        assertThat(sums.getBigDecimal("fund")).isEqualByComparingTo(fundPaid);
        assertThat(s.accumulators(psn, at.getYear()).stream().map(BigDecimal::toPlainString))
                .containsExactly("200.00", "2000.00", "500.00");
        assertThat(s.chronicFundPaid(psn, at.getYear(), s.disease)).isEqualByComparingTo("1000.00");
    }

    private static BigDecimal sum(List<SettlementResult> results, Function<SettlementResult.Totals, BigDecimal> figure) {
        return results.stream().map(r -> figure.apply(r.totals())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
