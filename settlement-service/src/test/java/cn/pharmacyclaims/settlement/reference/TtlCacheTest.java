package cn.pharmacyclaims.settlement.reference;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The staleness rules of the reference-data cache (pc.settlement.cache.*). */
class TtlCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final TtlCache<String, String> cache = new TtlCache<>(100, 3, now::get);

    @Test
    void anEntryIsServedForTheTtlCountedFromTheStartOfItsLoad() {
        TtlCache.Ticket t = cache.ticket();
        now.addAndGet(40); // the database read took 40
        cache.put(t, "A", "a1");
        now.addAndGet(59);
        assertThat(cache.get("A")).isEqualTo("a1");
        now.addAndGet(1); // 100 after the load started
        assertThat(cache.get("A")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void anInvalidationDropsEverything_andRefusesLoadsThatStartedBeforeIt() {
        cache.put(cache.ticket(), "A", "a1");
        TtlCache.Ticket before = cache.ticket(); // a reader read the old row ...
        cache.invalidateAll();                    // ... an import committed and invalidated ...
        cache.put(before, "B", "b-old");          // ... the reader must not put the old row back
        assertThat(cache.get("A")).isNull();
        assertThat(cache.get("B")).isNull();
        cache.put(cache.ticket(), "B", "b-new");
        assertThat(cache.get("B")).isEqualTo("b-new");
    }

    @Test
    void absenceIsNeverCached() {
        cache.put(cache.ticket(), "A", null);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFullCacheDropsExpiredEntriesFirst_thenEverything() {
        cache.put(cache.ticket(), "A", "a");
        now.addAndGet(60);
        cache.put(cache.ticket(), "B", "b");
        cache.put(cache.ticket(), "C", "c");
        now.addAndGet(50); // A expired, B and C live
        cache.put(cache.ticket(), "D", "d");
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("B")).isEqualTo("b");
        assertThat(cache.get("D")).isEqualTo("d");
        cache.put(cache.ticket(), "E", "e"); // full of live entries: start over
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get("E")).isEqualTo("e");
    }
}
