package cn.pharmacyclaims.settlement.reference;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A bounded map whose entries expire {@code ttl} after they were read from the database. Plain
 * Java (the clock is injected) so that the staleness rules are unit-testable:
 * <ul>
 *   <li>an entry is served for at most {@code ttlNanos} after its load started;</li>
 *   <li>{@link #invalidateAll()} empties the cache and also refuses every load that started
 *       before it: a reader that read the old row just before an import committed cannot put it
 *       back afterwards (the generation check in {@link #put});</li>
 *   <li>a full cache drops its expired entries, then everything, rather than grow.</li>
 * </ul>
 * Only values that exist are cached by the callers; absence is always read again.
 */
final class TtlCache<K, V> {

    private record Entry<V>(V value, long expiresAt) {
    }

    /** A load ticket: taken before the database read, handed back to {@link #put}. */
    record Ticket(long generation, long startedAt) {
    }

    private final ConcurrentHashMap<K, Entry<V>> map = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    TtlCache(long ttlNanos, int maxEntries, LongSupplier nanoTime) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = Math.max(1, maxEntries);
        this.nanoTime = nanoTime;
    }

    /** The live value, or null when absent or expired. */
    V get(K key) {
        Entry<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        if (nanoTime.getAsLong() - e.expiresAt() >= 0) {
            map.remove(key, e);
            return null;
        }
        return e.value();
    }

    /** Call before reading the database for a missing key. */
    Ticket ticket() {
        return new Ticket(generation.get(), nanoTime.getAsLong());
    }

    /** Stores what a load read, unless the cache was invalidated since the load's ticket was taken. */
    void put(Ticket ticket, K key, V value) {
        if (value == null || ticket.generation() != generation.get()) {
            return;
        }
        if (map.size() >= maxEntries && !map.containsKey(key)) {
            long now = nanoTime.getAsLong();
            map.values().removeIf(e -> now - e.expiresAt() >= 0);
            if (map.size() >= maxEntries) {
                map.clear();
            }
        }
        map.put(key, new Entry<>(value, ticket.startedAt() + ttlNanos));
        if (ticket.generation() != generation.get()) {
            map.remove(key); // an invalidation raced with this put: never keep what it meant to drop
        }
    }

    /** After an import committed: nothing read before now is served again. */
    void invalidateAll() {
        generation.incrementAndGet();
        map.clear();
    }

    int size() {
        return map.size();
    }
}
