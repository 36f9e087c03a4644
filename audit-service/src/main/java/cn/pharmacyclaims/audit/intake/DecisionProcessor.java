package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.alert.AlertMetrics;
import cn.pharmacyclaims.audit.alert.AlertStore;
import cn.pharmacyclaims.audit.rules.AuditConfig;
import cn.pharmacyclaims.audit.rules.AuditRule;
import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.audit.rules.Finding;
import cn.pharmacyclaims.audit.rules.Observation;
import cn.pharmacyclaims.audit.rules.RuleBook;
import cn.pharmacyclaims.audit.rules.RuleState;
import cn.pharmacyclaims.audit.rules.TerminalTrails;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.ViolationAlert;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.common.security.Masking;
import cn.pharmacyclaims.platform.outbox.Outbox;
import cn.pharmacyclaims.platform.outbox.OutboxMessage;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.outbox.ProcessedMessages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies one settlement decision in ONE transaction: processed-message check (a redelivery changes
 * nothing), rule state, rule evaluation, new alerts and their outbox rows. The relay is nudged after
 * the commit. Rules are evaluated on event time (the decision's occurredAt).
 *
 * <p>The stream is applied in batches ({@link DecisionBatchProcessor}); this one-decision path is its
 * reference and its fallback when a batch's transaction fails for a non-transient reason.
 */
@ApplicationScoped
public class DecisionProcessor {
    static final String CONSUMER = "audit-decisions";
    private static final Logger LOG = Logger.getLogger(DecisionProcessor.class);

    private final Pool pool;
    private final ProcessedMessages processed;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final RuleState state;
    private final TerminalTrails trails;
    private final RuleBook book;
    private final AlertStore alerts;
    private final AlertMetrics alertMetrics;
    private final AuditConfig cfg;
    private final Timer timer;
    private final Counter duplicates;
    private final Counter ruleErrors;

    public DecisionProcessor(Pool pool, ProcessedMessages processed, Outbox outbox, OutboxRelay relay, RuleState state,
                             TerminalTrails trails, RuleBook book, AlertStore alerts, AlertMetrics alertMetrics, AuditConfig cfg,
                             MeterRegistry registry) {
        this.trails = trails;
        this.pool = pool;
        this.processed = processed;
        this.outbox = outbox;
        this.relay = relay;
        this.state = state;
        this.book = book;
        this.alerts = alerts;
        this.alertMetrics = alertMetrics;
        this.cfg = cfg;
        this.timer = Timer.builder("pc.audit.decision.processing").description("time to apply one settlement decision")
                .register(registry);
        this.duplicates = Counter.builder("pc.audit.decisions.duplicate")
                .description("decision events delivered again and skipped").register(registry);
        this.ruleErrors = Counter.builder("pc.audit.rule.errors")
                .description("rule evaluations that threw; the decision is applied without that rule").register(registry);
    }

    /** @return the alerts raised (already committed and handed to the relay) */
    public Uni<List<ViolationAlert>> process(SettlementDecision d) {
        Timer.Sample sample = Timer.start();
        return pool.withTransaction(conn -> apply(conn, d))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(cfg.intake().attempts())
                .eventually(trails::dropAll)
                .invoke(raised -> {
                    sample.stop(timer);
                    if (!raised.isEmpty()) {
                        alertMetrics.raised(raised);
                        relay.nudge();
                        raised.forEach(a -> LOG.infof("alert %s %s at %s for decision %s", a.alertId(), a.ruleId(),
                                a.subject().pharmacyCode(), d.eventId()));
                    }
                });
    }

    private Uni<List<ViolationAlert>> apply(SqlConnection conn, SettlementDecision d) {
        return processed.firstTime(conn, CONSUMER, eventKey(d)).flatMap(first -> {
            if (!first) {
                duplicates.increment();
                return Uni.createFrom().item(List.<ViolationAlert>of());
            }
            OffsetDateTime detectedAt = OffsetDateTime.now(Beijing.ZONE).truncatedTo(ChronoUnit.MILLIS);
            return state.apply(conn, d)
                    // this path writes the rule windows without the batches' leases: no kept AUD-07 trail
                    // is trusted from here (under the terminal's lock, before the commit) until after the
                    // commit (the drop in process), so no batch can lease one that lacks this row
                    .invoke(trails::dropAll)
                    .flatMap(current -> state.observe(conn, d, current, key -> alerts.exists(conn, key)))
                    .map(this::evaluate)
                    .flatMap(findings -> Multi.createFrom().iterable(findings)
                            .onItem().transformToUniAndConcatenate(f -> alerts.record(conn, f, detectedAt))
                            .collect().asList())
                    .map(results -> results.stream().flatMap(Optional::stream).toList())
                    .flatMap(raised -> outbox.addAll(conn, raised.stream().map(DecisionProcessor::message).toList())
                            .replaceWith(raised));
        });
    }

    /** Every enabled rule on one observation; a rule that throws is counted, logged and left out. */
    List<Finding> evaluate(Observation o) {
        List<Finding> findings = new ArrayList<>();
        for (AuditRule rule : book.rules()) {
            try {
                findings.addAll(rule.evaluate(o));
            } catch (RuntimeException e) {
                // A rule bug must not stop the stream nor block the other rules; it is counted and logged.
                ruleErrors.increment();
                LOG.errorf(e, "rule %s failed on decision %s (person %s)", rule.ruleId(), o.decision().eventId(),
                        Masking.mask(o.decision().psnNo()));
            }
        }
        return findings;
    }

    /** Alerts go out keyed by pharmacyCode (POS-API.md §2); the event id is the alert id. */
    static OutboxMessage message(ViolationAlert a) {
        String key = a.subject().pharmacyCode() == null ? "UNKNOWN" : a.subject().pharmacyCode();
        return new OutboxMessage(a.alertId(), Topics.VIOLATION_ALERTS, key, Json.write(a));
    }

    /** The event id, or a stable substitute for a producer that left it out. */
    static String eventKey(SettlementDecision d) {
        if (d.eventId() != null && !d.eventId().isBlank()) {
            return d.eventId();
        }
        return d.eventType() + ":" + d.setlId() + ":" + d.msgId();
    }
}
