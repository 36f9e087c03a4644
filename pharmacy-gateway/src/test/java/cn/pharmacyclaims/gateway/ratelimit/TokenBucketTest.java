package cn.pharmacyclaims.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        TokenBucket b = new TokenBucket(2, 3, 0);
        assertThat(b.tryTake(0)).isZero();
        assertThat(b.tryTake(0)).isZero();
        assertThat(b.tryTake(0)).isZero();
        assertThat(b.tryTake(0)).isEqualTo(SECOND / 2);          // 2 tokens/s: the next in 0.5 s
        assertThat(b.tryTake(SECOND / 4)).isEqualTo(SECOND / 4); // half a token refilled
        assertThat(b.tryTake(SECOND / 2)).isZero();
        assertThat(b.tryTake(10 * SECOND)).isZero();             // refills to the burst, no more
        assertThat(b.tryTake(10 * SECOND)).isZero();
        assertThat(b.tryTake(10 * SECOND)).isZero();
        assertThat(b.tryTake(10 * SECOND)).isPositive();
    }

    @Test
    void aClockGoingBackwardsNeverAddsTokens() {
        TokenBucket b = new TokenBucket(1, 1, 5 * SECOND);
        assertThat(b.tryTake(5 * SECOND)).isZero();
        assertThat(b.tryTake(SECOND)).isPositive();
    }

    @Test
    void limiterKeepsOneBucketPerTerminalAndAnswersWholeSecondsToWait() {
        AtomicLong now = new AtomicLong();
        TerminalRateLimiter limiter = new TerminalRateLimiter(0.5, 2, now::get);
        assertThat(limiter.retryAfterSeconds("T-1")).isZero();
        assertThat(limiter.retryAfterSeconds("T-1")).isZero();
        assertThat(limiter.retryAfterSeconds("T-1")).isEqualTo(2);   // one token every 2 s
        assertThat(limiter.retryAfterSeconds("T-2")).isZero();       // another terminal is not affected
        now.set(SECOND + SECOND / 2);
        assertThat(limiter.retryAfterSeconds("T-1")).isEqualTo(1);   // 0.5 s left, rounded up
        now.set(2 * SECOND);
        assertThat(limiter.retryAfterSeconds("T-1")).isZero();
    }

    @Test
    void inFlightLimiterRefusesPastItsMaximumAndRecovers() {
        InFlightLimiter l = new InFlightLimiter(2);
        assertThat(l.tryAcquire()).isTrue();
        assertThat(l.tryAcquire()).isTrue();
        assertThat(l.tryAcquire()).isFalse();
        l.release();
        assertThat(l.tryAcquire()).isTrue();
        assertThat(l.inFlight()).isEqualTo(2);
    }
}
