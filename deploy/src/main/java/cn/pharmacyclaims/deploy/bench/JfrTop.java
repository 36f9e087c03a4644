package cn.pharmacyclaims.deploy.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a service's CPU went, from the recording {@code ./bench.sh --profile} writes: the share of
 * method samples (jdk.ExecutionSample, Java code on CPU) per top frame ("self") and per frame
 * anywhere on the stack ("total"), optionally only for samples whose stack contains a marker.
 *
 * <pre>java -cp "deploy/target/deploy.jar:deploy/target/lib/*" cn.pharmacyclaims.deploy.bench.JfrTop file.jfr [rows] [marker]</pre>
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrTop <recording.jfr> [rows=40] [stack marker]");
            System.exit(2);
        }
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        String marker = args.length > 2 ? args[2] : null;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<String> frames = new ArrayList<>();
            for (RecordedFrame f : st.getFrames()) {
                frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
            }
            if (marker != null && frames.stream().noneMatch(f -> f.contains(marker))) {
                continue;
            }
            samples++;
            self.merge(frames.get(0), 1, Integer::sum);
            Set<String> seen = new HashSet<>(frames);
            seen.forEach(f -> total.merge(f, 1, Integer::sum));
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        System.out.printf(Locale.ROOT, "%d samples%s%n", samples, marker == null ? "" : " with " + marker + " on the stack");
        print("threads", threads, samples, rows);
        print("self (top frame)", self, samples, rows);
        print("total (anywhere on the stack)", total, samples, rows);
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int rows) {
        System.out.println("\n== " + title);
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(rows)
                .forEach(en -> System.out.printf(Locale.ROOT, "%6.2f%%  %s%n", 100.0 * en.getValue() / samples, en.getKey()));
    }
}
