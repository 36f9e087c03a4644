package cn.pharmacyclaims.audit.alert;

import cn.pharmacyclaims.common.events.ViolationAlert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** {@code pc.audit.alerts{ruleId}}: alerts raised (published once each), counted after commit. */
@ApplicationScoped
public class AlertMetrics {
    private final MeterRegistry registry;

    public AlertMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void raised(List<ViolationAlert> alerts) {
        for (ViolationAlert a : alerts) {
            Counter.builder("pc.audit.alerts").description("violation alerts raised, by rule")
                    .tag("ruleId", a.ruleId()).register(registry).increment();
        }
    }
}
