package cn.pharmacyclaims.deploy.bench;

import cn.pharmacyclaims.common.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes report.md, report.json and latency.svg into the output directory. */
public final class ReportWriter {
    private ReportWriter() {
    }

    public static void write(RunReport r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
        Files.writeString(dir.resolve("latency.svg"), LatencySvg.render(r.timeline(), offered(r), p99Bound(r)));
        Files.writeString(dir.resolve("report.md"), markdown(r));
    }

    private static double offered(RunReport r) {
        return ((Number) r.run().get("offeredRate")).doubleValue();
    }

    private static double p99Bound(RunReport r) {
        return Targets.p99BoundMs(offered(r));
    }

    public static String markdown(RunReport r) {
        StringBuilder m = new StringBuilder();
        Map<String, Object> run = r.run();
        m.append("# Benchmark report\n\n");
        m.append("Run ").append(run.get("startedAt")).append(" → ").append(run.get("finishedAt")).append(": offered ")
                .append(fmt(offered(r))).append(" requests/s open loop, warm-up ").append(run.get("warmupSeconds"))
                .append(" s, measured ").append(run.get("measuredSeconds")).append(" s, demo registry `")
                .append(run.get("size")).append("`.")
                .append(run.containsKey("measuredFrom") ? " Measured window " + run.get("measuredFrom") + " → " + run.get("measuredTo") + "." : "")
                .append("\n\n");
        m.append("Machine: ").append(r.machine().get("cores")).append(" cores (").append(r.machine().get("cpu")).append("), ")
                .append(r.machine().get("memoryMb")).append(" MB RAM, ").append(r.machine().get("os")).append(", Java ")
                .append(r.machine().get("java")).append(". Load average before/after: ").append(r.machine().get("loadBefore"))
                .append(" / ").append(r.machine().get("loadAfter"))
                .append(". Every process (broker, database, four services, load generator) runs on this machine.")
                .append(r.machine().containsKey("cpuProbe") ? " CPU probe: " + r.machine().get("cpuProbe") + "." : "").append("\n\n");

        m.append("## Targets\n\n| target | required | measured | verdict |\n|---|---|---|---|\n");
        for (Targets.Row t : r.targets()) {
            m.append("| ").append(t.target()).append(" | ").append(t.required()).append(" | ").append(t.measured()).append(" | ")
                    .append(t.verdict() == Targets.Verdict.PASS ? "PASS" : t.verdict() == Targets.Verdict.FAIL ? "**FAIL**"
                            : "not attempted").append(" |\n");
        }

        m.append("\n## Throughput\n\n| figure | value |\n|---|---|\n");
        r.throughput().forEach((k, v) -> m.append("| ").append(k).append(" | ").append(val(v)).append(" |\n"));

        m.append("\n## POS round-trip latency (ms, from the intended send time)\n\n");
        m.append("| requests | count | p50 | p95 | p99 | p99.9 | max | mean |\n|---|---|---|---|---|---|---|---|\n");
        latencyRow(m, "all (measured window)", r.posLatency());
        r.posLatencyByKind().forEach((k, v) -> {
            if (v.count() > 0) {
                latencyRow(m, k, v);
            }
        });
        m.append("\n![latency over time](latency.svg)\n");
        if (!r.path().isEmpty()) {
            m.append("\n### Where the time goes (`--path`: record CreateTimes of the command, reply, decision and alert)\n\n");
            m.append("Each segment over the measured requests that have both its ends; millisecond resolution. ")
                    .append("The segments of a request add up to its round trip, but percentiles do not add.\n\n");
            m.append("| segment | count | p50 | p95 | p99 | p99.9 | max | mean |\n|---|---|---|---|---|---|---|---|\n");
            r.path().forEach((k, v) -> latencyRow(m, k, v));
        }
        if (!r.serviceTimers().isEmpty()) {
            m.append("\n### Inside the services (their own `pc_*` timers and sizes, measured window and the 5 s before it)\n\n");
            m.append("Means over the window, from each service's `/q/metrics` read when it started and when the load ended;"
                    + " a counter's count is what it counted in between.\n\n");
            m.append("| service | meter | count | mean |\n|---|---|---|---|\n");
            r.serviceTimers().forEach(t -> m.append("| ").append(t.service()).append(" | `").append(t.meter()).append("` | ")
                    .append(t.count()).append(" | ").append(ServiceTimers.format(t)).append(" |\n"));
        }

        m.append("\n## Outcomes (measured window)\n\n| HTTP outcome | count |\n|---|---|\n");
        r.outcomes().forEach((k, v) -> m.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        m.append("\nRejections by request kind and code:\n\n| kind and codes | count |\n|---|---|\n");
        r.rejectCodes().forEach((k, v) -> m.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        if (!r.unexpectedRejects().isEmpty()) {
            m.append("\nRejections the mix did not intend:\n\n| codes | count |\n|---|---|\n");
            r.unexpectedRejects().forEach((k, v) -> m.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        }
        m.append("\nLoad generator: ");
        r.loadGenerator().forEach((k, v) -> m.append(k).append(" ").append(val(v)).append("; "));
        m.append("\n");

        m.append("\n## Decision → alert latency (ms)\n\nFrom the intended send time of a deliberate NON_MEDICAL request to the moment "
                + "its AUD-01 alert is read from `audit.violation-alerts` by a plain consumer.\n\n");
        m.append("| count | p50 | p95 | p99 | p99.9 | max |\n|---|---|---|---|---|---|\n");
        LatencySummary a = r.alertLatency();
        m.append("| ").append(a.count()).append(" | ").append(ms(a.p50())).append(" | ").append(ms(a.p95())).append(" | ")
                .append(ms(a.p99())).append(" | ").append(ms(a.p999())).append(" | ").append(ms(a.max())).append(" |\n\n");
        r.alerts().forEach((k, v) -> m.append("- ").append(k).append(": ").append(val(v)).append("\n"));

        m.append("\n## Processes (measured window; CPU in % of one core, memory in MB)\n\n");
        m.append("| process | CPU avg | CPU max (1 s) | RSS max | RSS at end | PSS max | processes |\n|---|---|---|---|---|---|---|\n");
        for (ProcSampler.Usage u : r.processes()) {
            m.append("| ").append(u.name()).append(" | ").append(u.cpuAvgPercent()).append(" | ").append(u.cpuMaxPercent())
                    .append(" | ").append(u.rssMaxMb() < 0 ? "" : u.rssMaxMb()).append(" | ")
                    .append(u.rssEndMb() < 0 ? "" : u.rssEndMb()).append(" | ").append(u.pssMaxMb() < 0 ? "" : u.pssMaxMb())
                    .append(" | ").append(u.processes() == 0 ? "" : u.processes()).append(" |\n");
        }
        m.append("\nPostgreSQL's RSS counts its shared buffers once per process; PSS shares them out fairly. ")
                .append("\"other\" is the machine's busy time not spent in these processes (other users of the machine).\n");

        if (!r.threads().isEmpty()) {
            m.append("\n### Where the CPU went, by thread (measured window and the 5 s before it, % of one core)\n\n");
            m.append("| process | busiest thread groups |\n|---|---|\n");
            r.threads().forEach((process, groups) -> {
                m.append("| ").append(process).append(" | ");
                StringBuilder g = new StringBuilder();
                for (ThreadCpu.Group t : groups) {
                    g.append(g.length() == 0 ? "" : "; ").append('`').append(t.name()).append("` ×").append(t.threads())
                            .append(' ').append(t.cpuPercent());
                }
                m.append(g).append(" |\n");
            });
        }

        m.append("\n## Baselines (same machine, same run)\n\n");
        KafkaBaseline.Result k = r.kafkaBaseline();
        if (k != null) {
            m.append("- Kafka produce→consume, one record at a time (acks=all, ").append(k.recordBytes()).append(" B): ")
                    .append(k.roundTrip().count()).append(" round trips, p50 ").append(ms(k.roundTrip().p50())).append(" ms, p99 ")
                    .append(ms(k.roundTrip().p99())).append(" ms, max ").append(ms(k.roundTrip().max())).append(" ms\n");
            m.append("- Kafka burst: ").append(k.burstRecords()).append(" records produced and consumed in ")
                    .append(k.burstSeconds()).append(" s = ").append(fmt(k.burstPerSecond())).append(" records/s\n");
        }
        PostgresBaseline.Result p = r.postgresBaseline();
        if (p != null) {
            m.append("- PostgreSQL single-row INSERT + COMMIT, 1 connection: ").append(fmt(p.singleConnectionCommitsPerSecond()))
                    .append(" commits/s (p50 ").append(ms(p.singleCommit().p50())).append(" ms, p99 ")
                    .append(ms(p.singleCommit().p99())).append(" ms)\n");
            m.append("- PostgreSQL, ").append(p.connections()).append(" connections: ")
                    .append(fmt(p.multiConnectionCommitsPerSecond())).append(" commits/s\n");
        }
        m.append("\nOverhead ratios:\n\n| ratio | value |\n|---|---|\n");
        r.ratios().forEach((key, v) -> m.append("| ").append(key).append(" | ").append(v).append(" |\n"));

        m.append("\n## Reconciliation (settlement database vs. the answers)\n\n| check | result | detail |\n|---|---|---|\n");
        for (Reconciliation.Check c : r.reconciliation()) {
            m.append("| ").append(c.name()).append(" | ").append(c.ok() ? "ok" : "**FAILED**").append(" | ")
                    .append(c.detail()).append(" |\n");
        }
        m.append("\n");
        r.reconciliationFigures().forEach((key, v) -> m.append("- ").append(key).append(": ").append(val(v)).append("\n"));

        m.append("\n## Setup\n\n");
        r.setup().forEach((key, v) -> m.append("- ").append(key).append(": ").append(val(v)).append("\n"));
        return m.toString();
    }

    private static void latencyRow(StringBuilder m, String name, LatencySummary l) {
        m.append("| ").append(name).append(" | ").append(l.count()).append(" | ").append(ms(l.p50())).append(" | ")
                .append(ms(l.p95())).append(" | ").append(ms(l.p99())).append(" | ").append(ms(l.p999())).append(" | ")
                .append(ms(l.max())).append(" | ").append(ms(l.mean())).append(" |\n");
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String fmt(double v) {
        return Targets.f(v);
    }

    private static String val(Object v) {
        if (v instanceof Double d) {
            return fmt(d);
        }
        if (v instanceof List<?> l && l.isEmpty()) {
            return "none";
        }
        return String.valueOf(v);
    }
}
