package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The report's "inside the services" rows: window deltas of the services' own timers and sizes, nothing else. */
class ServiceTimersTest {

    private static Map<String, Double> reading(String service, String text) {
        Map<String, Double> m = new LinkedHashMap<>();
        ServiceTimers.parse(service, text, m);
        return m;
    }

    @Test
    void aTimersMeanAndASizesMeanOverTheWindowOnly() {
        String before = """
                # HELP pc_settlement_group_seconds time of one group commit
                # TYPE pc_settlement_group_seconds summary
                pc_settlement_group_seconds_count 100.0
                pc_settlement_group_seconds_sum 2.0
                pc_settlement_group_seconds_max 0.5
                pc_settlement_group_size_count 100.0
                pc_settlement_group_size_sum 700.0
                pc_gateway_requests_seconds_count{operation="settle",outcome="settled"} 10.0
                pc_gateway_requests_seconds_sum{operation="settle",outcome="settled"} 1.0
                pc_outbox_published_total 5.0
                jvm_threads_live_threads 40.0
                """;
        String after = """
                pc_settlement_group_seconds_count 300.0
                pc_settlement_group_seconds_sum 7.0
                pc_settlement_group_seconds_max 0.9
                pc_settlement_group_size_count 300.0
                pc_settlement_group_size_sum 2700.0
                pc_gateway_requests_seconds_count{operation="settle",outcome="settled"} 10.0
                pc_gateway_requests_seconds_sum{operation="settle",outcome="settled"} 1.0
                pc_gateway_requests_seconds_count{operation="cancel",outcome="cancelled"} 4.0
                pc_gateway_requests_seconds_sum{operation="cancel",outcome="cancelled"} 0.2
                pc_outbox_published_total 9.0
                """;
        List<ServiceTimers.Row> rows = ServiceTimers.rows(reading("settlement-service", before), reading("settlement-service", after));

        assertThat(rows).extracting(ServiceTimers.Row::meter).containsExactly("pc_settlement_group", "pc_settlement_group_size",
                "pc_gateway_requests{operation=\"cancel\",outcome=\"cancelled\"}", "pc_outbox_published"); // the settle timer did not count in the window
        ServiceTimers.Row group = rows.get(0);
        assertThat(group.count()).isEqualTo(200);
        assertThat(group.mean()).isCloseTo(25.0, within(1e-9)); // (7 - 2) s over 200, in ms
        assertThat(group.unit()).isEqualTo("ms");
        assertThat(rows.get(1).mean()).isCloseTo(10.0, within(1e-9)); // (2700 - 700) / 200 settlements
        assertThat(rows.get(1).unit()).isEmpty();
        assertThat(rows.get(2).count()).isEqualTo(4); // a meter that appeared during the window counts from zero
        assertThat(ServiceTimers.format(group)).isEqualTo("25.00 ms");
        ServiceTimers.Row published = rows.get(3); // a counter: what it counted in the window
        assertThat(published.count()).isEqualTo(4);
        assertThat(published.unit()).isEqualTo(ServiceTimers.COUNTER);
        assertThat(ServiceTimers.format(published)).isEqualTo("(counter)");
    }
}
