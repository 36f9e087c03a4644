package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.rules.Requests;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.json.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a poll of {@code claims.settlement-decisions} ({@link DecisionIntake}): the batch is applied
 * in one transaction per {@code pc.audit.intake.max-batch} decisions, in record order, and its
 * offsets committed after the commit ({@link DecisionBatchProcessor}). No dead-letter topic is defined for audit: a
 * record that is not a usable SettlementDecision is logged, counted
 * ({@code pc.audit.decisions.unparseable}) and skipped, so one bad record never stops the audit
 * stream. Database failures are retried; if they persist the batch fails and runs again (readiness
 * DOWN meanwhile) rather than skip a decision.
 */
@ApplicationScoped
public class DecisionConsumer {
    private static final Logger LOG = Logger.getLogger(DecisionConsumer.class);

    private final DecisionBatchProcessor processor;
    private final Counter unparseable;

    public DecisionConsumer(DecisionBatchProcessor processor, MeterRegistry registry) {
        this.processor = processor;
        this.unparseable = Counter.builder("pc.audit.decisions.unparseable")
                .description("settlement decision records that could not be parsed and were skipped").register(registry);
    }

    public Uni<Void> consume(List<String> payloads) {
        List<SettlementDecision> batch = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            SettlementDecision d = parse(payload);
            if (d != null) {
                batch.add(d);
            }
        }
        return processor.process(batch);
    }

    SettlementDecision parse(String payload) {
        if (payload == null) {
            return skip("an empty record", 0);
        }
        SettlementDecision d;
        try {
            d = Json.read(payload, SettlementDecision.class);
        } catch (RuntimeException e) {
            return skip("an unparseable record (" + e.getClass().getSimpleName() + ")", payload.length());
        }
        if (d == null || d.eventType() == null || Requests.occurredAt(d) == null || (d.msgId() == null && d.setlId() == null)) {
            return skip("a record without eventType, time or msgId/setlId", payload.length());
        }
        return d;
    }

    private SettlementDecision skip(String what, int length) {
        unparseable.increment();
        // the payload itself is not logged: it may hold personal data
        LOG.warnf("skipping %s on claims.settlement-decisions (%d characters); no dead-letter topic is defined for audit",
                what, length);
        return null;
    }
}
