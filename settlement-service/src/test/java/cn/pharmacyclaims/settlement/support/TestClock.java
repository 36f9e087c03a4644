package cn.pharmacyclaims.settlement.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The service's clock in tests: the system clock unless a test fixes it (CLM-14 "day of sale"). */
public final class TestClock extends Clock {
    public static final TestClock INSTANCE = new TestClock();

    private volatile Instant fixed;

    private TestClock() {
    }

    public void fix(Instant instant) {
        fixed = instant;
    }

    public void reset() {
        fixed = null;
    }

    @Override
    public Instant instant() {
        Instant f = fixed;
        return f != null ? f : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // the service converts instants with its configured zone itself
    }
}
