package cn.pharmacyclaims.audit.rules;

import cn.pharmacyclaims.testinfra.RealInfraResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AUD-07's marks read is prepared once and then runs on a generic plan. With a btree on occurred_at that plan walked the
 * time index for every terminal and filtered out all other terminals' rows (docs/performance.md, tuning step 13); it must
 * use the terminal's index, newest first, however many terminals share the window.
 */
@QuarkusTest
@WithTestResource(value = RealInfraResource.class, initArgs = @ResourceArg(name = "database", value = "audit"))
class WindowPlanTest {
    @Inject
    Pool pool;

    @Test
    void aud07_theWindowReadsOfABusyWindowUseEachTerminalsAndPersonsIndex_notTheTimeIndex() {
        // 30,000 settlements over 50 terminals within ten minutes: every terminal is in every other one's time range
        pool.query("""
                INSERT INTO recent_settlement (setl_id, msg_id, psn_no, pharmacy_code, terminal_id, region_code, occurred_at, total, items)
                SELECT 'PLAN-S' || g, 'PLAN-M' || g, 'PLAN-P' || (g * 7919 % 2000), 'PLAN-PH' || (g % 50), 'PLAN-T' || (g % 50),
                       '440100', now() - (30000 - g) * interval '20 ms', 12.34, '[]'
                FROM generate_series(1, 30000) g""").execute().await().atMost(Duration.ofSeconds(60));
        pool.query("ANALYZE recent_settlement").execute().await().atMost(Duration.ofSeconds(60));

        assertThat(genericPlan(WindowBatch.PAGE)).contains("recent_settlement_terminal").doesNotContain("recent_settlement_occurred");
        // AUD-02/03/05/09: the persons' windows likewise start from each person's index
        assertThat(genericPlan(WindowBatch.PERSON_WINDOWS)).contains("recent_settlement_person").doesNotContain("recent_settlement_occurred");

        pool.query("DELETE FROM recent_settlement WHERE setl_id LIKE 'PLAN-S%'").execute().await().atMost(Duration.ofSeconds(30));
    }

    private String genericPlan(String sql) {
        List<String> plan = new ArrayList<>();
        for (Row r : pool.query("EXPLAIN (GENERIC_PLAN) " + sql).execute().await().atMost(Duration.ofSeconds(10))) {
            plan.add(r.getString(0));
        }
        return String.join("\n", plan);
    }
}
