package cn.pharmacyclaims.settlement.claim;

import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Splits a batch of records into rounds with as much parallelism as their keys allow: records of
 * one key (one person, {@code psnNo}) in successive rounds in batch order, different keys in the
 * same round. This keeps CLM-12's per-person order, which the partitioning by psnNo exists for,
 * without making every person wait for every other person of the partition, as
 * one-record-at-a-time consumption does; and a round's records can share one transaction.
 */
final class KeyOrdered {
    private KeyOrdered() {
    }

    /** The records grouped by key, each group in batch order, groups in order of their first record. */
    static <T> List<List<T>> groups(List<T> records, Function<T, ?> key) {
        Map<Object, List<T>> byKey = new LinkedHashMap<>();
        List<List<T>> out = new ArrayList<>();
        for (T r : records) {
            Object k = key.apply(r);
            if (k == null) {
                out.add(List.of(r)); // no key: ordered with nothing
                continue;
            }
            byKey.computeIfAbsent(k, x -> {
                List<T> g = new ArrayList<>();
                out.add(g);
                return g;
            }).add(r);
        }
        return out;
    }

    /**
     * The groups transposed: round k holds the k-th record of every group that has one, in group
     * order. Running the rounds one after the other keeps each key's order; a round's records all
     * have different keys.
     */
    static <T> List<List<T>> rounds(List<List<T>> groups) {
        List<List<T>> rounds = new ArrayList<>();
        for (List<T> group : groups) {
            for (int k = 0; k < group.size(); k++) {
                if (rounds.size() == k) {
                    rounds.add(new ArrayList<>());
                }
                rounds.get(k).add(group.get(k));
            }
        }
        return rounds;
    }

    /**
     * Hands the records to {@code round} one round at a time ({@link #rounds}), the next round once
     * the previous one completed; completes when the last did. {@code round} should not fail (it
     * deals with its own failures).
     */
    static <T> Uni<Void> inRounds(List<T> records, Function<T, ?> key, Function<List<T>, Uni<Void>> round) {
        Objects.requireNonNull(round);
        Uni<Void> all = Uni.createFrom().voidItem();
        for (List<T> r : rounds(groups(records, key))) {
            all = all.chain(() -> round.apply(r));
        }
        return all;
    }
}
