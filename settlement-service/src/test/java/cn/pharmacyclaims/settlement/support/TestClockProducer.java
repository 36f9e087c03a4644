package cn.pharmacyclaims.settlement.support;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Replaces the service's default clock bean with {@link TestClock}. */
public class TestClockProducer {
    @Produces
    @Singleton
    Clock clock() {
        return TestClock.INSTANCE;
    }
}
