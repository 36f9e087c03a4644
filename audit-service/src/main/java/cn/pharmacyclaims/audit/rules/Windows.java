package cn.pharmacyclaims.audit.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Event-time sliding windows. Decisions may arrive out of event-time order (different partitions,
 * POS clocks, a replay), so a window is not simply "the last W before now": the pattern is seen
 * when SOME window of length W that contains the current event holds it. The earliest such window
 * is chosen, so that later events of the same burst land in the same dedupe bucket.
 */
public final class Windows {
    private Windows() {
    }

    /**
     * @param facts     candidate facts (those outside [at − w, at + w] never matter)
     * @param at        the current event's time; the window must contain it
     * @param w         window length (both ends inclusive)
     * @param qualifies whether the facts of one window show the pattern
     * @return the facts of the earliest qualifying window, in event-time order
     */
    public static Optional<List<SettledFact>> earliest(List<SettledFact> facts, Instant at, Duration w,
                                                       Predicate<List<SettledFact>> qualifies) {
        List<SettledFact> sorted = facts.stream().sorted(Comparator.comparing(SettledFact::at)).toList();
        Instant earliestStart = at.minus(w);
        for (SettledFact start : sorted) {
            Instant s = start.at();
            if (s.isBefore(earliestStart)) {
                continue;
            }
            if (s.isAfter(at)) {
                break;
            }
            Instant end = s.plus(w);
            List<SettledFact> window = sorted.stream().filter(f -> !f.at().isBefore(s) && !f.at().isAfter(end)).toList();
            if (qualifies.test(window)) {
                return Optional.of(window);
            }
        }
        return Optional.empty();
    }

    public static long distinct(List<SettledFact> facts, java.util.function.Function<SettledFact, String> key) {
        return facts.stream().map(key).filter(java.util.Objects::nonNull).distinct().count();
    }
}
