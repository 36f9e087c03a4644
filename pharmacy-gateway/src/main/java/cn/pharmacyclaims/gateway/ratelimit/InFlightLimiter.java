package cn.pharmacyclaims.gateway.ratelimit;

import cn.pharmacyclaims.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load shedding (POS-API.md 503): at most {@code max} POS calls in progress on this instance. A
 * call past the limit is refused at once with Retry-After, instead of queueing until every
 * waiting POS times out together.
 */
@Singleton
public class InFlightLimiter {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    @Inject
    public InFlightLimiter(GatewayConfig config, MeterRegistry meters) {
        this(config.maxInFlight());
        Gauge.builder("pc.gateway.in-flight", inFlight, AtomicInteger::get)
                .description("POS calls in progress on this instance").register(meters);
    }

    public InFlightLimiter(int max) {
        this.max = max;
    }

    public boolean tryAcquire() {
        while (true) {
            int n = inFlight.get();
            if (n >= max) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
