package cn.pharmacyclaims.gateway.ratelimit;

import cn.pharmacyclaims.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * POS-API.md 429: one token bucket per terminal, in this instance's memory (a terminal's calls
 * spread over N instances may reach N times the rate; the limit protects each instance, and
 * fairness between terminals, not an exact global quota). Only authenticated terminals get a
 * bucket, so the map is bounded by the number of registered terminals.
 */
@Singleton
public class TerminalRateLimiter {
    private final double ratePerSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public TerminalRateLimiter(GatewayConfig config) {
        this(config.rate().perSecond(), config.rate().burst(), System::nanoTime);
    }

    public TerminalRateLimiter(double ratePerSecond, int burst, LongSupplier nanoTime) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** 0 when the call may proceed; otherwise the whole seconds to wait (Retry-After, at least 1). */
    public long retryAfterSeconds(String terminalId) {
        long now = nanoTime.getAsLong();
        long waitNanos = buckets.computeIfAbsent(terminalId, id -> new TokenBucket(ratePerSecond, burst, now)).tryTake(now);
        if (waitNanos == 0L) {
            return 0L;
        }
        return Math.max(1L, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
}
