package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FloorBenchTest {

    @Test
    void floorBackReadsTopLevelStringFields() {
        String json = "{\"msgId\":\"M-1\",\"psnNo\":\"P 2\",\"totals\":{\"msgId\":\"inner\"}}";
        assertThat(FloorBack.field(json, "msgId")).isEqualTo("M-1");
        assertThat(FloorBack.field("{\"msgId\" : \"M-2\"}", "msgId")).isEqualTo("M-2");
        assertThat(FloorBack.field(json, "setlId")).isNull();
    }

    @Test
    void theFloorIsTheCpuOfBrokerDatabaseAndBothProcessesPerAnsweredPurchase_notTheLoadGeneratorsOrOtherUsers() {
        BenchOptions options = BenchOptions.parse(new String[]{"--rate", "100", "--warmup", "0s", "--duration", "2s"}, Path.of("."),
                LocalDateTime.now());
        Schedule schedule = new Schedule(0, 100, Duration.ZERO, Duration.ofSeconds(2));
        Results results = new Results(schedule);
        for (long i = 0; i < schedule.totalCount(); i++) {
            results.sent(i, 0);
            // 150 answered, 50 timed out: 75 answered purchases per second
            results.completed(i, Workload.Kind.PURCHASE, schedule.intendedNanos(i), schedule.intendedNanos(i) + 5_000_000L,
                    i < 150 ? "200 SETTLED" : "timeout");
        }
        List<ProcSampler.Usage> usage = List.of(
                new ProcSampler.Usage("kafka", 30.0, 40.0, 300, 300, -1, 1),
                new ProcSampler.Usage("floor-front", 15.0, 20.0, 150, 150, -1, 1),
                new ProcSampler.Usage("postgresql", 7.5, 9.0, 200, 200, 80, 5),
                new ProcSampler.Usage("load generator (this JVM)", 50.0, 60.0, 200, 200, -1, 1),
                new ProcSampler.Usage(ProcSampler.MACHINE, 190.0, 200.0, -1, -1, -1, 0),
                new ProcSampler.Usage(ProcSampler.OTHER, 87.5, 90.0, -1, -1, -1, 0));
        String md = FloorBench.report(OffsetDateTime.now(), new double[]{0, 0, 0}, options, "plumbing", schedule, results, usage, 200, 200);
        // (30 + 15 + 7.5) % of a core = 0.525 core-seconds per second over 75 purchases per second = 7.0 ms
        assertThat(md).contains("| answered HTTP 200 / s | 75.0 |")
                .contains("| requests sent / not answered 200 (errors, timeouts) | 200 / 50 |")
                .contains("| kafka | 30.0 | 40.0 | 300 | 4.000 |")
                .contains("**Floor: 7.00 ms of CPU per purchase at 75/s**, 0.53 cores of the machine's")
                .contains("and 0.50 more for the load generator");
    }
}
