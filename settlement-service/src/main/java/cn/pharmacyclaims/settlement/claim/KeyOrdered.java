package cn.pharmacyclaims.settlement.claim;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Processes a batch of records with as much parallelism as their keys allow: records of one key
 * (one person, {@code psnNo}) one after the other in batch order, different keys at the same time
 * (at most {@code parallelism} keys at once). This keeps CLM-12's per-person order, which the
 * partitioning by psnNo exists for, without making every person wait for every other person of
 * the partition, as one-record-at-a-time consumption does.
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

    /** Completes when every record was handled; {@code handle} should not fail (it deals with its own failures). */
    static <T> Uni<Void> process(List<T> records, Function<T, ?> key, int parallelism, Function<T, Uni<Void>> handle) {
        Objects.requireNonNull(handle);
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<List<T>> groups = groups(records, key);
        return Multi.createFrom().iterable(groups)
                .onItem().transformToUni(group -> inOrder(group, handle)).merge(Math.max(1, parallelism))
                .collect().last()
                .replaceWithVoid();
    }

    private static <T> Uni<Void> inOrder(List<T> group, Function<T, Uni<Void>> handle) {
        if (group.size() == 1) {
            return handle.apply(group.get(0));
        }
        return Multi.createFrom().iterable(group)
                .onItem().transformToUniAndConcatenate(r -> handle.apply(r))
                .collect().last()
                .replaceWithVoid();
    }
}
