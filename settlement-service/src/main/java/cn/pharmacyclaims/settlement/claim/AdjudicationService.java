package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.settlement.adjudication.Adjudication;
import cn.pharmacyclaims.settlement.adjudication.AdjudicationInput;
import cn.pharmacyclaims.settlement.adjudication.Adjudicator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/**
 * The pure {@link Adjudicator} (CLM-02..CLM-11) behind a timer: {@code pc.settlement.adjudication},
 * tagged {@code outcome} (accepted, rejected, error) and {@code command} (PREVIEW, SETTLE).
 */
@ApplicationScoped
public class AdjudicationService {

    private final Adjudicator adjudicator = new Adjudicator();
    private final MeterRegistry registry;

    public AdjudicationService(MeterRegistry registry) {
        this.registry = registry;
    }

    public Adjudication adjudicate(AdjudicationInput input, CommandType command) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            Adjudication a = adjudicator.adjudicate(input);
            outcome = a instanceof Adjudication.Accepted ? "accepted" : "rejected";
            return a;
        } finally {
            Timer.builder("pc.settlement.adjudication")
                    .description("time to adjudicate one request (pure rules, snapshots already loaded)")
                    .tag("outcome", outcome)
                    .tag("command", command.name())
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
