package cn.pharmacyclaims.agreement;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one source of "now" (AGR-05 expiry, AGR-07 180-day limit, history timestamps). A default
 * bean, so a test can provide its own controllable {@link Clock}.
 */
public class ClockProducer {
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.system(BeijingTime.ZONE);
    }
}
