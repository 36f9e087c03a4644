package cn.pharmacyclaims.deploy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The targets, judged against one run: 2,000 settlements/s for 5 minutes with p99 ≤ 100 ms,
 * p99 ≤ 50 ms at 500/s, no errors, no lost or duplicated settlement, alert p99 ≤ 1 s, every service
 * ≤ 512 MB resident. Targets a run cannot judge (a shorter or slower run than the headline) are
 * marked so rather than passed.
 */
public final class Targets {
    private Targets() {
    }

    public enum Verdict { PASS, FAIL, NOT_ATTEMPTED }

    public record Row(String target, String required, String measured, Verdict verdict) {
    }

    public static final double HEADLINE_RATE = 2000;
    public static final long HEADLINE_SECONDS = 300;
    public static final double P99_AT_HEADLINE_MS = 100;
    public static final double P99_AT_500_MS = 50;
    public static final double ALERT_P99_MS = 1000;
    public static final double SERVICE_RSS_MB = 512;

    /** The p99 bound for an offered rate: 50 ms up to 500/s, 100 ms above. */
    public static double p99BoundMs(double rate) {
        return rate <= 500 ? P99_AT_500_MS : P99_AT_HEADLINE_MS;
    }

    public record Inputs(double offeredRate, long measuredSeconds, double achievedPerSecond, LatencySummary pos,
                         long errors, long pending, boolean reconciled, LatencySummary alerts, long alertsMissing,
                         List<ProcSampler.Usage> services) {
    }

    public static List<Row> evaluate(Inputs in) {
        List<Row> rows = new ArrayList<>();
        boolean throughputOk = in.achievedPerSecond() >= 0.99 * in.offeredRate();
        rows.add(new Row("sustained throughput", "≥ 99% of the offered " + f(in.offeredRate()) + "/s",
                f(in.achievedPerSecond()) + "/s", throughputOk ? Verdict.PASS : Verdict.FAIL));
        double bound = p99BoundMs(in.offeredRate());
        boolean p99Ok = in.pos().count() > 0 && in.pos().p99() <= bound;
        rows.add(new Row("POS round trip p99 at " + f(in.offeredRate()) + "/s", "≤ " + f(bound) + " ms",
                f(in.pos().p99()) + " ms", p99Ok ? Verdict.PASS : Verdict.FAIL));
        // a 202 PENDING is a defined answer, but the POS then has to poll or reverse: not a normal answer at the target load
        boolean errorsOk = in.errors() == 0 && in.pending() == 0;
        rows.add(new Row("no errors", "0 (4xx, 5xx, timeouts) and no 202 PENDING",
                in.errors() + " errors, " + in.pending() + " × 202 PENDING", errorsOk ? Verdict.PASS : Verdict.FAIL));
        rows.add(new Row("no lost or duplicated settlement", "reconciliation passes", in.reconciled() ? "passes" : "fails",
                in.reconciled() ? Verdict.PASS : Verdict.FAIL));
        boolean alertOk = in.alerts().count() > 0 && in.alerts().p99() <= ALERT_P99_MS && in.alertsMissing() == 0;
        rows.add(new Row("decision → alert latency p99", "≤ 1,000 ms, none missing",
                in.alerts().count() == 0 ? "no alert measured" : f(in.alerts().p99()) + " ms, " + in.alertsMissing() + " missing",
                in.alerts().count() == 0 ? Verdict.NOT_ATTEMPTED : alertOk ? Verdict.PASS : Verdict.FAIL));
        for (ProcSampler.Usage u : in.services()) {
            rows.add(new Row(u.name() + " resident memory", "≤ 512 MB", f(u.rssMaxMb()) + " MB (max)",
                    u.rssMaxMb() <= SERVICE_RSS_MB ? Verdict.PASS : Verdict.FAIL));
        }
        boolean headlineRun = in.offeredRate() >= HEADLINE_RATE && in.measuredSeconds() >= HEADLINE_SECONDS;
        boolean allOk = rows.stream().allMatch(r -> r.verdict() != Verdict.FAIL);
        rows.add(0, new Row("headline: 2,000 settlements/s for 5 min, p99 ≤ 100 ms", "2,000/s × 300 s",
                "this run: " + f(in.offeredRate()) + "/s × " + in.measuredSeconds() + " s",
                !headlineRun ? Verdict.NOT_ATTEMPTED : allOk ? Verdict.PASS : Verdict.FAIL));
        return rows;
    }

    static String f(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.1f" : "%.2f", v);
    }
}
