package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    @Test
    void theThreeFilesAreWrittenAndTheSvgIsWellFormed(@TempDir Path dir) throws Exception {
        Schedule schedule = new Schedule(0, 20, Duration.ofSeconds(2), Duration.ofSeconds(5));
        Results results = new Results(schedule);
        for (long i = 0; i < schedule.totalCount(); i++) {
            long due = schedule.intendedNanos(i);
            results.completed(i, Workload.Kind.PURCHASE, due, due + 3_000_000L + i * 10_000L, i == 50 ? "503" : "200 SETTLED");
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("startedAt", "2026-11-23T10:00:00+08:00");
        run.put("finishedAt", "2026-11-23T10:01:00+08:00");
        run.put("offeredRate", 20.0);
        run.put("warmupSeconds", 2L);
        run.put("measuredSeconds", 5L);
        run.put("size", "tiny");
        Map<String, Object> machine = Map.of("cores", 2, "cpu", "test", "memoryMb", 1024, "os", "Linux", "java", "17",
                "loadBefore", "0.5 0.5 0.5", "loadAfter", "1 1 1");
        List<ProcSampler.Usage> usage = List.of(new ProcSampler.Usage("pharmacy-gateway", 12.5, 40, 300, 290, -1, 1));
        List<Targets.Row> targets = Targets.evaluate(new Targets.Inputs(20, 5, results.achievedPerSecond(), results.latency(),
                results.errors(), 0, true, LatencySummary.EMPTY, 0, usage));
        RunReport report = new RunReport(run, machine, Map.of("mix", "standard"), Map.of("achieved", 19.8), results.latency(),
                Map.of("purchase", results.latency()), results.outcomes(), results.warmupOutcomes(), results.rejectCodes(),
                results.unexpectedRejects(), Map.of("max lag behind schedule (ms)", 0.2), LatencySummary.EMPTY, Map.of(), usage,
                Map.of("pharmacy-gateway", List.of(new ThreadCpu.Group("vert.x-eventloo", 2, 30.5))), null, null, Map.of(), true, List.of(new Reconciliation.Check("no duplicated settlement", true, "0")), Map.of(),
                targets, results.timeline(), Map.of(PathWatcher.SETTLEMENT, results.latency()),
                List.of(new ServiceTimers.Row("settlement-service", "pc_settlement_group", 120, 23.76, "ms")));

        ReportWriter.write(report, dir);

        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("## Targets").contains("| no errors | 0 (4xx, 5xx, timeouts) and no 202 PENDING | 1 errors, 0 × 202 PENDING").contains("**FAIL**")
                .contains("![latency over time](latency.svg)").contains("| 503 | 1 |")
                .contains("| pharmacy-gateway | `vert.x-eventloo` ×2 30.5 |")
                .contains("### Where the time goes").contains("| " + PathWatcher.SETTLEMENT + " | 100 |")
                .contains("| settlement-service | `pc_settlement_group` | 120 | 23.76 ms |");
        assertThat(Json.MAPPER.readTree(dir.resolve("report.json").toFile()).at("/posLatency/count").asLong()).isEqualTo(100);
        String svg = Files.readString(dir.resolve("latency.svg"));
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(4); // p50, p99, max, throughput
    }

    @Test
    void theLogAxisPutsDecadesEvenlyAndClampsOutsideValues() {
        double y1 = LatencySvg.yLog(1, 0.1, 1000);
        double y10 = LatencySvg.yLog(10, 0.1, 1000);
        double y100 = LatencySvg.yLog(100, 0.1, 1000);

        assertThat(y1 - y10).isCloseTo(y10 - y100, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(LatencySvg.yLog(1e9, 0.1, 1000)).isEqualTo(LatencySvg.TOP1);
        assertThat(LatencySvg.yLog(0.001, 0.1, 1000)).isEqualTo(LatencySvg.TOP1 + LatencySvg.H1);
    }
}
