package cn.pharmacyclaims.settlement.claim;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** CLM-12's per-person order inside a polled batch, with different persons at the same time. */
class KeyOrderedTest {

    record Rec(String key, int seq) {
    }

    @Test
    void groupsKeepBatchOrderPerKeyAndFirstAppearanceAcrossKeys() {
        List<Rec> batch = List.of(new Rec("a", 1), new Rec("b", 2), new Rec("a", 3), new Rec(null, 4), new Rec("c", 5),
                new Rec("b", 6), new Rec(null, 7));
        List<List<Rec>> groups = KeyOrdered.groups(batch, Rec::key);
        assertThat(groups).containsExactly(
                List.of(new Rec("a", 1), new Rec("a", 3)),
                List.of(new Rec("b", 2), new Rec("b", 6)),
                List.of(new Rec(null, 4)),
                List.of(new Rec("c", 5)),
                List.of(new Rec(null, 7)));
    }

    @Test
    void roundsHoldTheKthRecordOfEveryKey() {
        List<Rec> batch = List.of(new Rec("a", 1), new Rec("b", 2), new Rec("a", 3), new Rec(null, 4), new Rec("a", 5));
        assertThat(KeyOrdered.rounds(KeyOrdered.groups(batch, Rec::key))).containsExactly(
                List.of(new Rec("a", 1), new Rec("b", 2), new Rec(null, 4)),
                List.of(new Rec("a", 3)),
                List.of(new Rec("a", 5)));
    }

    @Test
    void onePersonsRecordsNeverOverlapAndRunInOrderWhileOthersRunConcurrently() {
        List<Rec> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(new Rec("p" + (i % 10), i));
        }
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        List<String> overlaps = Collections.synchronizedList(new ArrayList<>());

        KeyOrdered.inRounds(batch, Rec::key, round -> Multi.createFrom().iterable(round).onItem().transformToUni(r -> Uni.createFrom().voidItem()
                        .invoke(() -> {
                            if (running.computeIfAbsent(r.key(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                                overlaps.add(r.key());
                            }
                            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                        })
                        .onItem().delayIt().by(Duration.ofMillis(2))
                        .invoke(() -> {
                            seen.computeIfAbsent(r.key(), k -> Collections.synchronizedList(new ArrayList<>())).add(r.seq());
                            concurrent.decrementAndGet();
                            running.get(r.key()).decrementAndGet();
                        })).merge(4).collect().last().replaceWithVoid())
                .await().atMost(Duration.ofSeconds(30));

        assertThat(overlaps).isEmpty();
        assertThat(seen).hasSize(10);
        seen.forEach((k, seqs) -> {
            assertThat(seqs).hasSize(20);
            assertThat(seqs).isSorted();
        });
        assertThat(maxConcurrent.get()).isBetween(2, 4);
    }

    @Test
    void anEmptyBatchCompletes() {
        assertThat(KeyOrdered.inRounds(List.<Rec>of(), Rec::key, r -> Uni.createFrom().voidItem())
                .await().atMost(Duration.ofSeconds(1))).isNull();
    }
}
