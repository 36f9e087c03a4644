package cn.pharmacyclaims.deploy.bench;

import java.util.List;
import java.util.Map;

/** Everything one benchmark run found, as written to report.json (and rendered as report.md and latency.svg). */
public record RunReport(
        Map<String, Object> run,
        Map<String, Object> machine,
        Map<String, Object> setup,
        Map<String, Object> throughput,
        LatencySummary posLatency,
        Map<String, LatencySummary> posLatencyByKind,
        Map<String, Long> outcomes,
        Map<String, Long> warmupOutcomes,
        Map<String, Long> rejectCodes,
        Map<String, Long> unexpectedRejects,
        Map<String, Object> loadGenerator,
        LatencySummary alertLatency,
        Map<String, Object> alerts,
        List<ProcSampler.Usage> processes,
        Map<String, List<ThreadCpu.Group>> threads,
        KafkaBaseline.Result kafkaBaseline,
        PostgresBaseline.Result postgresBaseline,
        Map<String, Double> ratios,
        boolean reconciled,
        List<Reconciliation.Check> reconciliation,
        Map<String, Object> reconciliationFigures,
        List<Targets.Row> targets,
        List<Results.Second> timeline,
        Map<String, LatencySummary> path,
        List<ServiceTimers.Row> serviceTimers) {

    /**
     * The overhead of the system relative to the raw limits measured in the same run: how many
     * broker round trips one POS round trip costs, and how many commits per second of the database
     * each achieved request per second leaves.
     */
    public static Map<String, Double> ratios(LatencySummary pos, double achievedPerSecond, KafkaBaseline.Result kafka,
                                             PostgresBaseline.Result pg) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        if (kafka != null && kafka.roundTrip().count() > 0 && pos.count() > 0) {
            m.put("posP50_over_kafkaRoundTripP50", ratio(pos.p50(), kafka.roundTrip().p50()));
            m.put("posP99_over_kafkaRoundTripP99", ratio(pos.p99(), kafka.roundTrip().p99()));
            if (pg != null && pg.singleCommit().count() > 0) {
                // the floor of one purchase: command and reply each cross the broker once, and two commits
                // (the gateway's nonce, the settlement transaction) sit on the path
                double floor = 2 * kafka.roundTrip().p50() + 2 * pg.singleCommit().p50();
                m.put("posP50_floor_ms", round(floor));
                m.put("posP50_over_floor", ratio(pos.p50(), floor));
            }
        }
        if (kafka != null && kafka.burstPerSecond() > 0) {
            m.put("achieved_over_kafkaBurstRecordsPerSecond", ratio(achievedPerSecond, kafka.burstPerSecond()));
        }
        if (pg != null && pg.singleConnectionCommitsPerSecond() > 0) {
            m.put("achieved_over_pgCommitsPerSecond_1conn", ratio(achievedPerSecond, pg.singleConnectionCommitsPerSecond()));
            m.put("achieved_over_pgCommitsPerSecond_" + pg.connections() + "conn",
                    ratio(achievedPerSecond, pg.multiConnectionCommitsPerSecond()));
        }
        return m;
    }

    static double ratio(double a, double b) {
        return b == 0 ? 0 : round(a / b);
    }

    /** Four significant digits: ratios span from thousandths (throughput) to hundreds (latency). */
    static double round(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }
}
