package cn.pharmacyclaims.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The services' own timers and sizes ({@code pc_*} meters on {@code /q/metrics}) over the measured
 * window: read when it starts and when the load ends, each meter's count and mean in between. They
 * say where a request's time goes inside a service (settlement: the wait for a batch, the batch,
 * the group commit; the gateway's requests; audit's batches), which the path's record timestamps
 * cannot.
 */
final class ServiceTimers {
    /**
     * One meter over the window: a timer (mean in ms), a distribution summary (mean in its own unit),
     * or a counter (its increase as the count, no mean: unit {@link #COUNTER}).
     */
    record Row(String service, String meter, long count, double mean, String unit) {
    }

    /** The unit of a counter's row: what counted in the window, e.g. audit's AUD-07 trails found kept or read (step 39). */
    static final String COUNTER = "counter";

    private final Map<String, String> urls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Map<String, Double> atStart;
    private Map<String, Double> atEnd;

    private ServiceTimers(Map<String, String> urls) {
        this.urls = urls;
    }

    /** Takes the first reading when the measured window starts (a background thread waits for it). */
    static ServiceTimers startAt(Map<String, String> serviceUrls, long atNanos) {
        ServiceTimers t = new ServiceTimers(serviceUrls);
        Bench.at("bench-service-timers", atNanos, () -> t.atStart = t.read());
        return t;
    }

    void end() {
        atEnd = read();
    }

    /** The meters that counted something in the window, by service in the order given; empty if a reading failed. */
    List<Row> rows() {
        Map<String, Double> start = atStart;
        if (start == null || atEnd == null) {
            return List.of();
        }
        return rows(start, atEnd);
    }

    static List<Row> rows(Map<String, Double> start, Map<String, Double> end) {
        List<Row> out = new ArrayList<>();
        end.forEach((key, count) -> {
            int brace = key.indexOf('{');
            int base = brace < 0 ? key.length() : brace;
            if (key.startsWith("_total", base - "_total".length())) {
                long n = Math.round(count - start.getOrDefault(key, 0.0));
                if (n > 0) {
                    int space = key.indexOf(' ');
                    out.add(new Row(key.substring(0, space), key.substring(space + 1, base - "_total".length()) + key.substring(base),
                            n, Double.NaN, COUNTER));
                }
                return;
            }
            int cut = base - "_count".length();
            if (cut < 0 || !key.startsWith("_count", cut)) {
                return;
            }
            String sumKey = key.substring(0, cut) + "_sum" + key.substring(cut + "_count".length());
            Double sum = end.get(sumKey);
            long n = Math.round(count - start.getOrDefault(key, 0.0));
            if (sum == null || n <= 0) {
                return;
            }
            double total = sum - start.getOrDefault(sumKey, 0.0);
            int space = key.indexOf(' ');
            String service = key.substring(0, space);
            String meter = key.substring(space + 1, cut) + key.substring(cut + "_count".length());
            boolean seconds = meter.contains("_seconds");
            out.add(new Row(service, meter.replace("_seconds", ""), n, seconds ? total / n * 1000 : total / n, seconds ? "ms" : ""));
        });
        return out;
    }

    /** "service meter{tags}" → value of every pc_* line, for every service; null if one could not be read. */
    private Map<String, Double> read() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : urls.entrySet()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(e.getValue() + "/q/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                parse(e.getKey(), r.body(), values);
            } catch (Exception ex) {
                Bench.log("metrics of " + e.getKey() + " not read: " + ex);
                return null;
            }
        }
        return values;
    }

    /** Prometheus text format: the {@code _count}, {@code _sum} and counters' {@code _total} lines of this project's meters. */
    static void parse(String service, String text, Map<String, Double> into) {
        for (String line : text.split("\n")) {
            if (!line.startsWith("pc_")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, space);
            int brace = name.indexOf('{');
            String base = brace < 0 ? name : name.substring(0, brace);
            if (base.endsWith("_count") || base.endsWith("_sum") || base.endsWith("_total")) {
                into.put(service + ' ' + name, Double.parseDouble(line.substring(space + 1)));
            }
        }
    }

    static String format(Row r) {
        if (COUNTER.equals(r.unit())) {
            return "(counter)";
        }
        return String.format(Locale.ROOT, "%.2f", r.mean()) + (r.unit().isEmpty() ? "" : " " + r.unit());
    }
}
