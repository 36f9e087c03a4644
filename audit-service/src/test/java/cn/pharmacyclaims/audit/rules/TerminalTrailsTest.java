package cn.pharmacyclaims.audit.rules;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AUD-07 marks kept between batches ({@link TerminalTrails}): a trail is given back only by the batch
 * that leased it last, and only while nothing dropped it since; it is never handed out while this
 * instance does not own every partition, nor after its age limit.
 */
class TerminalTrailsTest {
    private final AtomicLong clock = new AtomicLong();
    private final TerminalTrails trails = new TerminalTrails(true, 48, 2, Duration.ofMinutes(1), clock::get, new SimpleMeterRegistry());

    private TerminalTrails.Trail trail(String psn) {
        OffsetDateTime at = OffsetDateTime.parse("2026-11-24T10:00:00+08:00");
        return TerminalTrails.Trail.of(Instant.parse("2026-11-24T01:00:00Z"), "T1",
                List.of(SettledFact.mark("S-" + psn, psn, "T1", at)), clock.get());
    }

    @Test
    void aTrailGivenBackAfterTheCommitIsLeasedByTheNextBatch() {
        trails.owning(true);
        TerminalTrails.Lease first = trails.lease(Set.of("T1"));
        assertThat(first.active()).isTrue();
        assertThat(first.trail("T1")).as("nothing kept yet").isNull();
        trails.keep(first, Map.of("T1", trail("P1")));

        TerminalTrails.Lease next = trails.lease(Set.of("T1"));
        assertThat(next.trail("T1").marks()).isEqualTo(trail("P1").marks());
        // leased means taken out: a batch leasing it meanwhile reads the database
        assertThat(trails.lease(Set.of("T1")).trail("T1")).isNull();
    }

    @Test
    void onlyTheLastLeaseOfATerminalGivesItsTrailBack() {
        trails.owning(true);
        TerminalTrails.Lease older = trails.lease(Set.of("T1"));
        TerminalTrails.Lease newer = trails.lease(Set.of("T1"));
        trails.keep(older, Map.of("T1", trail("OLD")));
        assertThat(trails.lease(Set.of("T1")).trail("T1")).as("an older lease's trail may miss the newer batch's rows").isNull();

        TerminalTrails.Lease a = trails.lease(Set.of("T1"));
        trails.keep(a, Map.of("T1", trail("A")));
        assertThat(trails.lease(Set.of("T1")).trail("T1").marks()).isEqualTo(trail("A").marks());
        trails.keep(newer, Map.of("T1", trail("NEWER")));
        assertThat(trails.lease(Set.of("T1")).trail("T1")).as("leased again since").isNull();
    }

    @Test
    void aDropWhileLeasedMeansNothingIsGivenBack() {
        trails.owning(true);
        TerminalTrails.Lease a = trails.lease(Set.of("T1", "T2"));
        trails.drop(Set.of("T1")); // another batch cancelled a settlement at T1
        trails.keep(a, Map.of("T1", trail("A1"), "T2", trail("A2")));
        TerminalTrails.Lease next = trails.lease(Set.of("T1", "T2"));
        assertThat(next.trail("T1")).isNull();
        assertThat(next.trail("T2").marks()).isEqualTo(trail("A2").marks());

        trails.dropAll(); // the one-decision path wrote the windows
        trails.keep(next, Map.of("T2", trail("B2")));
        assertThat(trails.lease(Set.of("T2")).trail("T2")).isNull();
    }

    @Test
    void nothingIsKeptWithoutEveryPartitionAndARebalanceDropsEverything() {
        assertThat(trails.lease(Set.of("T1")).active()).as("before the first assignment").isFalse();
        trails.owning(true);
        TerminalTrails.Lease a = trails.lease(Set.of("T1"));
        trails.keep(a, Map.of("T1", trail("A")));
        trails.owning(false); // a second instance joined
        assertThat(trails.lease(Set.of("T1")).active()).isFalse();
        trails.owning(true); // and left again
        assertThat(trails.lease(Set.of("T1")).trail("T1")).as("what the other instance wrote is not in it").isNull();

        TerminalTrails.Lease b = trails.lease(Set.of("T1"));
        trails.owning(false);
        trails.owning(true);
        trails.keep(b, Map.of("T1", trail("B")));
        assertThat(trails.lease(Set.of("T1")).trail("T1")).as("leased before the rebalance").isNull();
    }

    @Test
    void anOldTrailIsReadAgainAndTheLeastRecentlyUsedTerminalsGoFirst() {
        trails.owning(true);
        TerminalTrails.Lease a = trails.lease(Set.of("T1"));
        trails.keep(a, Map.of("T1", trail("A")));
        clock.set(Duration.ofSeconds(61).toNanos());
        assertThat(trails.lease(Set.of("T1")).trail("T1")).as("older than max-age").isNull();

        TerminalTrails.Lease b = trails.lease(Set.of("T1", "T2", "T3"));
        trails.keep(b, Map.of("T1", trail("B1"), "T2", trail("B2"), "T3", trail("B3")));
        TerminalTrails.Lease c = trails.lease(Set.of("T1", "T2", "T3"));
        long kept = Set.of("T1", "T2", "T3").stream().filter(t -> c.trail(t) != null).count();
        assertThat(kept).as("at most 2 terminals kept").isEqualTo(2);
    }
}
