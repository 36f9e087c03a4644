package cn.pharmacyclaims.gateway.ratelimit;

/**
 * A token bucket: holds at most {@code burst} tokens, refills at {@code ratePerSecond}, one token
 * per request. Time is passed in (nanoseconds from any fixed origin) so the arithmetic is testable
 * without sleeping.
 */
public final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.capacity = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Takes a token and answers 0, or takes nothing and answers the nanoseconds until one is available. */
    public synchronized long tryTake(long nowNanos) {
        if (nowNanos > lastNanos) {
            tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * ratePerNano);
            lastNanos = nowNanos;
        }
        if (tokens >= 1d) {
            tokens -= 1d;
            return 0L;
        }
        return (long) Math.ceil((1d - tokens) / ratePerNano);
    }
}
