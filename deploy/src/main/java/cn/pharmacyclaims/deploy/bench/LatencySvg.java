package cn.pharmacyclaims.deploy.bench;

import java.util.List;
import java.util.Locale;

/**
 * The latency-over-time plot, written by hand as SVG: per second of intended send time, p50, p99
 * and max on a logarithmic scale (top), and answers per second against the offered rate (bottom);
 * the warm-up is shaded, the p99 target dashed.
 */
public final class LatencySvg {
    private LatencySvg() {
    }

    static final int W = 1000;
    static final int H = 620;
    static final int LEFT = 70;
    static final int RIGHT = 20;
    static final int TOP1 = 40;
    static final int H1 = 330;
    static final int TOP2 = 430;
    static final int H2 = 150;

    public static String render(List<Results.Second> seconds, double offeredRate, double p99BoundMs) {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"").append(LEFT).append("\" y=\"20\" font-size=\"14\">POS round-trip latency per second "
                + "(from intended send time, ms, log scale)</text>\n");
        int n = Math.max(1, seconds.size());
        double plotW = W - LEFT - RIGHT;
        double maxMs = Math.max(p99BoundMs * 2, seconds.stream().mapToDouble(Results.Second::max).max().orElse(1));
        double lo = 0.1;
        double hi = Math.pow(10, Math.ceil(Math.log10(maxMs)));
        // warm-up shading
        long warm = seconds.stream().filter(Results.Second::warmup).count();
        if (warm > 0) {
            double x = LEFT + plotW * warm / n;
            s.append(rect(LEFT, TOP1, x - LEFT, H1, "#eeeeee"));
            s.append(rect(LEFT, TOP2, x - LEFT, H2, "#eeeeee"));
            s.append(text(LEFT + 4, TOP1 + 14, "warm-up", "#777"));
        }
        // latency axes and grid (decades)
        for (double d = lo; d <= hi * 1.0001; d *= 10) {
            double y = yLog(d, lo, hi);
            s.append(line(LEFT, y, W - RIGHT, y, "#dddddd", 1, null));
            s.append(text(LEFT - 8, y + 4, label(d), "#333", "end"));
        }
        double yTarget = yLog(p99BoundMs, lo, hi);
        s.append(line(LEFT, yTarget, W - RIGHT, yTarget, "#d62728", 1, "6,4"));
        s.append(text(W - RIGHT - 4, yTarget - 4, "p99 target " + label(p99BoundMs) + " ms", "#d62728", "end"));
        s.append(polyline(seconds, n, plotW, lo, hi, 0, "#1f77b4", 1.5));
        s.append(polyline(seconds, n, plotW, lo, hi, 1, "#ff7f0e", 1.5));
        s.append(polyline(seconds, n, plotW, lo, hi, 2, "#d62728", 0.8));
        s.append(legend(LEFT + 80, TOP1 + 14, "#1f77b4", "p50"));
        s.append(legend(LEFT + 140, TOP1 + 14, "#ff7f0e", "p99"));
        s.append(legend(LEFT + 200, TOP1 + 14, "#d62728", "max"));
        s.append(rectOutline(LEFT, TOP1, plotW, H1));

        // throughput panel
        s.append(text(LEFT, TOP2 - 10, "throughput per second; grey dashed: offered rate; red bars: errors (by intended second)", "#000"));
        double maxRate = Math.max(offeredRate * 1.25, seconds.stream()
                .mapToDouble(sec -> Math.max(sec.okCompleted(), sec.committed())).max().orElse(1));
        for (int i = 0; i <= 4; i++) {
            double v = maxRate * i / 4;
            double y = TOP2 + H2 - H2 * v / maxRate;
            s.append(line(LEFT, y, W - RIGHT, y, "#dddddd", 1, null));
            s.append(text(LEFT - 8, y + 4, String.format(Locale.ROOT, "%.0f", v), "#333", "end"));
        }
        double yOffered = TOP2 + H2 - H2 * offeredRate / maxRate;
        s.append(line(LEFT, yOffered, W - RIGHT, yOffered, "#555", 1, "6,4"));
        StringBuilder pts = new StringBuilder();
        for (Results.Second sec : seconds) {
            double x = LEFT + plotW * (sec.second() + 0.5) / n;
            double y = TOP2 + H2 - H2 * Math.min(sec.okCompleted(), maxRate) / maxRate;
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            if (sec.errors() > 0) {
                double h = H2 * Math.min(sec.errors(), maxRate) / maxRate;
                s.append(rect(x - 1, TOP2 + H2 - h, 2, h, "#d62728"));
            }
        }
        s.append("<polyline fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"1.5\" points=\"").append(pts).append("\"/>\n");
        if (seconds.stream().anyMatch(sec -> sec.committed() >= 0)) {
            StringBuilder db = new StringBuilder();
            for (Results.Second sec : seconds) {
                double x = LEFT + plotW * (sec.second() + 0.5) / n;
                double y = TOP2 + H2 - H2 * Math.min(Math.max(0, sec.committed()), maxRate) / maxRate;
                db.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append("<polyline fill=\"none\" stroke=\"#9467bd\" stroke-width=\"1\" stroke-dasharray=\"3,2\" points=\"")
                    .append(db).append("\"/>\n");
            s.append(legend(W - RIGHT - 330, TOP2 + 14, "#9467bd", "settlement rows committed/s (database)"));
        }
        s.append(legend(W - RIGHT - 330, TOP2 + 30, "#2ca02c", "HTTP 200 answers completed/s"));
        s.append(rectOutline(LEFT, TOP2, plotW, H2));
        // time axis
        int step = n <= 60 ? 10 : n <= 180 ? 30 : 60;
        for (int t = 0; t <= n; t += step) {
            double x = LEFT + plotW * t / n;
            s.append(text(x, TOP2 + H2 + 16, t + " s", "#333", "middle"));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String polyline(List<Results.Second> seconds, int n, double plotW, double lo, double hi, int which,
                                   String colour, double width) {
        StringBuilder pts = new StringBuilder();
        for (Results.Second sec : seconds) {
            if (sec.count() == 0) {
                continue;
            }
            double v = which == 0 ? sec.p50() : which == 1 ? sec.p99() : sec.max();
            double x = LEFT + plotW * (sec.second() + 0.5) / n;
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yLog(Math.max(v, lo), lo, hi)));
        }
        return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + width + "\" points=\"" + pts + "\"/>\n";
    }

    /** y of a value on the log axis of the top panel. */
    static double yLog(double v, double lo, double hi) {
        double f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        return TOP1 + H1 - H1 * Math.max(0, Math.min(1, f));
    }

    private static String label(double d) {
        return d < 1 ? String.format(Locale.ROOT, "%.1f", d) : String.format(Locale.ROOT, "%.0f", d);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, double w, String dash) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                x1, y1, x2, y2, colour, w, dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n", x, y, w, h, fill);
    }

    private static String rectOutline(double x, double y, double w, double h) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333\"/>%n",
                x, y, w, h);
    }

    private static String text(double x, double y, String t, String colour) {
        return text(x, y, t, colour, "start");
    }

    private static String text(double x, double y, String t, String colour, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" text-anchor=\"%s\">%s</text>%n", x, y, colour,
                anchor, t.replace("&", "&amp;").replace("<", "&lt;"));
    }

    private static String legend(double x, double y, String colour, String name) {
        return line(x, y - 4, x + 18, y - 4, colour, 2, null) + text(x + 22, y, name, "#333");
    }
}
