package cn.pharmacyclaims.deploy.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TargetsTest {
    static LatencySummary latency(double p99) {
        return new LatencySummary(1000, 5, 10, p99, p99 * 2, p99 * 3, 6);
    }

    static List<ProcSampler.Usage> services(double rss) {
        return List.of(new ProcSampler.Usage("pharmacy-gateway", 50, 80, rss, rss, -1, 1),
                new ProcSampler.Usage("settlement-service", 50, 80, 300, 290, -1, 1));
    }

    static Targets.Verdict verdict(List<Targets.Row> rows, String prefix) {
        return rows.stream().filter(r -> r.target().startsWith(prefix)).findFirst().orElseThrow().verdict();
    }

    @Test
    void theP99BoundIsFiftyMillisecondsUpToFiveHundredPerSecondAndAHundredAbove() {
        assertThat(Targets.p99BoundMs(200)).isEqualTo(50);
        assertThat(Targets.p99BoundMs(500)).isEqualTo(50);
        assertThat(Targets.p99BoundMs(501)).isEqualTo(100);
        assertThat(Targets.p99BoundMs(2000)).isEqualTo(100);
    }

    @Test
    void aShortRunThatMeetsItsTargetsLeavesTheHeadlineNotAttempted() {
        List<Targets.Row> rows = Targets.evaluate(new Targets.Inputs(500, 60, 499, latency(40), 0, 0, true,
                latency(300), 0, services(400)));

        assertThat(rows).noneMatch(r -> r.verdict() == Targets.Verdict.FAIL);
        assertThat(verdict(rows, "headline")).isEqualTo(Targets.Verdict.NOT_ATTEMPTED);
        assertThat(verdict(rows, "POS round trip p99")).isEqualTo(Targets.Verdict.PASS);
    }

    @Test
    void theHeadlinePassesOnlyWhenEveryTargetOfAFullRunPasses() {
        Targets.Inputs good = new Targets.Inputs(2000, 300, 1995, latency(90), 0, 0, true, latency(800), 0, services(500));
        Targets.Inputs slow = new Targets.Inputs(2000, 300, 1995, latency(120), 0, 0, true, latency(800), 0, services(500));

        assertThat(verdict(Targets.evaluate(good), "headline")).isEqualTo(Targets.Verdict.PASS);
        assertThat(verdict(Targets.evaluate(slow), "headline")).isEqualTo(Targets.Verdict.FAIL);
        assertThat(verdict(Targets.evaluate(slow), "POS round trip p99")).isEqualTo(Targets.Verdict.FAIL);
    }

    @Test
    void pendingAnswersFailTheNoErrorsTarget() {
        List<Targets.Row> rows = Targets.evaluate(new Targets.Inputs(500, 60, 499, latency(40), 0, 12, true,
                latency(300), 0, services(400)));

        assertThat(verdict(rows, "no errors")).isEqualTo(Targets.Verdict.FAIL);
    }

    @Test
    void eachFailureIsNamed() {
        List<Targets.Row> rows = Targets.evaluate(new Targets.Inputs(500, 60, 400, latency(40), 7, 0, false,
                latency(1500), 2, services(600)));

        assertThat(verdict(rows, "sustained throughput")).isEqualTo(Targets.Verdict.FAIL);
        assertThat(verdict(rows, "no errors")).isEqualTo(Targets.Verdict.FAIL);
        assertThat(verdict(rows, "no lost")).isEqualTo(Targets.Verdict.FAIL);
        assertThat(verdict(rows, "decision → alert")).isEqualTo(Targets.Verdict.FAIL);
        assertThat(verdict(rows, "pharmacy-gateway resident")).isEqualTo(Targets.Verdict.FAIL);
        assertThat(verdict(rows, "settlement-service resident")).isEqualTo(Targets.Verdict.PASS);
    }

    @Test
    void overheadRatiosCompareWithTheBaselinesOfTheSameRun() {
        KafkaBaseline.Result kafka = new KafkaBaseline.Result("t", 1024, new LatencySummary(100, 2, 3, 4, 5, 6, 2), 20_000, 0.5,
                40_000);
        PostgresBaseline.Result pg = new PostgresBaseline.Result(1000, new LatencySummary(100, 1, 1.5, 2, 3, 4, 1), 8, 4000);
        LatencySummary pos = new LatencySummary(1000, 12, 20, 40, 60, 80, 13);

        var ratios = RunReport.ratios(pos, 500, kafka, pg);

        assertThat(ratios).containsEntry("posP50_over_kafkaRoundTripP50", 6.0)
                .containsEntry("posP99_over_kafkaRoundTripP99", 10.0)
                .containsEntry("posP50_floor_ms", 6.0) // 2 × 2 ms broker + 2 × 1 ms commit
                .containsEntry("posP50_over_floor", 2.0)
                .containsEntry("achieved_over_kafkaBurstRecordsPerSecond", 0.0125)
                .containsEntry("achieved_over_pgCommitsPerSecond_1conn", 0.5)
                .containsEntry("achieved_over_pgCommitsPerSecond_8conn", 0.125);
    }
}
