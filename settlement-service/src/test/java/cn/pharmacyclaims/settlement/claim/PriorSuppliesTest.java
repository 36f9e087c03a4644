package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CLM-08's read of prior supplies ({@link SettlementStore#priorSupplies}) on the real database: for
 * each asked (person, item) pair the latest live supply (the longer one on a tie), nothing for a
 * pair not asked even when the group holds its person and its item, nothing from cancelled rows.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "settlement"))
class PriorSuppliesTest {

    @Inject
    Pool pool;

    @Inject
    SettlementStore store;

    @Test
    void clm08_theLatestLiveSupplyOfExactlyTheAskedPairs() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String alice = "PSA" + run;
        String bob = "PSB" + run;
        String amlodipine = "XA" + run;
        String metformin = "XM" + run;
        // alice's amlodipine history: a long one, then two on one day (the 28-day one counts), then a cancelled later one
        supply(alice, amlodipine, "2026-01-05", 30, true);
        supply(alice, amlodipine, "2026-03-01", 10, true);
        supply(alice, amlodipine, "2026-03-01", 28, true);
        supply(alice, amlodipine, "2026-04-01", 60, false);
        supply(alice, metformin, "2026-02-01", 30, true);
        supply(bob, metformin, "2026-02-10", 14, true);
        for (int i = 0; i < 50; i++) { // a long history of bob's metformin: still one row back
            supply(bob, metformin, LocalDate.parse("2025-01-01").plusDays(i).toString(), 7, true);
        }

        // asked: alice × amlodipine, bob × amlodipine (none), bob × metformin; not asked: alice × metformin
        Map<String, Map<String, Snapshots.PriorSupply>> found = store.priorSupplies(pool, List.of(
                new SettlementStore.PersonItem(alice, amlodipine),
                new SettlementStore.PersonItem(bob, amlodipine),
                new SettlementStore.PersonItem(bob, metformin))).await().atMost(Duration.ofSeconds(10));

        assertThat(found).containsOnlyKeys(alice, bob);
        assertThat(found.get(alice)).containsExactly(
                Map.entry(amlodipine, new Snapshots.PriorSupply(amlodipine, LocalDate.parse("2026-03-01"), 28)));
        assertThat(found.get(bob)).containsExactly(
                Map.entry(metformin, new Snapshots.PriorSupply(metformin, LocalDate.parse("2026-02-10"), 14)));
        assertThat(store.priorSupplies(pool, List.of()).await().atMost(Duration.ofSeconds(10))).isEmpty();
    }

    /** A supply row of its own (rejected) settlement: the table's foreign key wants one. */
    private void supply(String psnNo, String itemCode, String saleDate, int days, boolean live) {
        String setlId = "S" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
        OffsetDateTime at = LocalDate.parse(saleDate).atTime(10, 0).atOffset(ZoneOffset.ofHours(8));
        pool.withTransaction(tx -> tx.preparedQuery("""
                        INSERT INTO settlement (setl_id, msg_id, body_hash, psn_no, pharmacy_code, status, occurred_at, sale_date,
                                                request_json, result_json, settled_at)
                        VALUES ($1, $1, 'h', $2, 'P-TEST', 'REJECTED', $3, $4, '{}', '{}', $3)""")
                .execute(Tuple.of(setlId, psnNo, at, LocalDate.parse(saleDate)))
                .flatMap(x -> tx.preparedQuery("INSERT INTO supply (setl_id, seq, psn_no, item_code, sale_date, days_supply, live)"
                                + " VALUES ($1, 1, $2, $3, $4, $5, $6)")
                        .execute(Tuple.tuple(List.of(setlId, psnNo, itemCode, LocalDate.parse(saleDate), days, live)))))
                .await().atMost(Duration.ofSeconds(10));
    }
}
