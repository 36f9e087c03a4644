package cn.pharmacyclaims.audit.intake;

import cn.pharmacyclaims.audit.alert.AlertMetrics;
import cn.pharmacyclaims.audit.alert.AlertStore;
import cn.pharmacyclaims.audit.rules.AuditConfig;
import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.audit.rules.Finding;
import cn.pharmacyclaims.audit.rules.RuleState;
import cn.pharmacyclaims.audit.rules.TerminalTrails;
import cn.pharmacyclaims.audit.rules.WindowBatch;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.ViolationAlert;
import cn.pharmacyclaims.platform.outbox.Outbox;
import cn.pharmacyclaims.platform.outbox.ProcessedMessages;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.db.PipelinedTransaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies a batch of settlement decisions (one poll) in ONE transaction, in record order, with the
 * outcome of applying them one transaction each ({@link DecisionProcessor}): processed-message log
 * (an event seen before, or twice in the batch, changes nothing), rule state, rule evaluation, new
 * alerts and their outbox rows. The relay is nudged once after the commit.
 *
 * <p>Failures: a transient one (connection, deadlock, a concurrent instance raising the same alert)
 * retries the whole batch, and if it persists the batch fails (the intake holds it and runs it again), nothing skipped. Any other failure
 * of the batch's transaction falls back to one transaction per decision, so one bad decision cannot
 * hold back the rest of its batch; a decision that fails on its own is logged and counted, the
 * others are applied, and then the batch fails as a single failing decision always did.
 */
@ApplicationScoped
public class DecisionBatchProcessor {
    private static final Logger LOG = Logger.getLogger(DecisionBatchProcessor.class);

    private final Pool pool;
    private final ProcessedMessages processed;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final RuleState state;
    private final TerminalTrails trails;
    private final AlertStore alerts;
    private final AlertMetrics alertMetrics;
    private final DecisionProcessor single;
    private final AuditConfig cfg;
    private final Timer batchTimer;
    private final DistributionSummary batchSize;
    private final Counter decisions;
    private final Counter duplicates;
    private final Counter fallbacks;
    private final Counter failed;

    public DecisionBatchProcessor(Pool pool, ProcessedMessages processed, Outbox outbox, OutboxRelay relay, RuleState state,
                                  TerminalTrails trails, AlertStore alerts, AlertMetrics alertMetrics, DecisionProcessor single,
                                  AuditConfig cfg, MeterRegistry registry) {
        this.trails = trails;
        this.pool = pool;
        this.processed = processed;
        this.outbox = outbox;
        this.relay = relay;
        this.state = state;
        this.alerts = alerts;
        this.alertMetrics = alertMetrics;
        this.single = single;
        this.cfg = cfg;
        this.batchTimer = Timer.builder("pc.audit.decision.batch")
                .description("time to apply one batch of settlement decisions, retries included").register(registry);
        this.batchSize = DistributionSummary.builder("pc.audit.decision.batch.size")
                .description("settlement decisions per batch").register(registry);
        this.decisions = Counter.builder("pc.audit.decisions.applied")
                .description("settlement decisions applied (first deliveries)").register(registry);
        this.duplicates = Counter.builder("pc.audit.decisions.duplicate")
                .description("decision events delivered again and skipped").register(registry);
        this.fallbacks = Counter.builder("pc.audit.decisions.batch.fallback")
                .description("batches whose transaction failed for a non-transient reason and were applied one decision at a time")
                .register(registry);
        this.failed = Counter.builder("pc.audit.decisions.failed")
                .description("decisions whose own transaction kept failing (the batch is held and run again, nothing skipped)").register(registry);
    }

    /** Applies the decisions, split into batches of at most {@code pc.audit.intake.max-batch}. */
    public Uni<Void> process(List<SettlementDecision> all) {
        int max = Math.max(1, cfg.intake().maxBatch());
        if (all.size() <= max) {
            return processBatch(all).replaceWithVoid();
        }
        List<List<SettlementDecision>> parts = new ArrayList<>();
        for (int i = 0; i < all.size(); i += max) {
            parts.add(all.subList(i, Math.min(all.size(), i + max)));
        }
        return Multi.createFrom().iterable(parts).onItem().transformToUniAndConcatenate(this::processBatch)
                .collect().last().replaceWithVoid();
    }

    /** @return the alerts raised (committed and handed to the relay) */
    public Uni<List<ViolationAlert>> processBatch(List<SettlementDecision> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Timer.Sample sample = Timer.start();
        batchSize.record(batch.size());
        // two round trips fewer per poll: BEGIN goes with the first read, COMMIT with the outbox rows
        return PipelinedTransaction.run(pool, tx -> apply(tx, batch))
                .onFailure(Failures::isTransient).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(cfg.intake().attempts())
                .map(applied -> {
                    duplicates.increment(applied.duplicates);
                    decisions.increment(batch.size() - applied.duplicates);
                    if (!applied.raised.isEmpty()) {
                        alertMetrics.raised(applied.raised);
                        relay.nudge();
                        for (int i = 0; i < applied.raised.size(); i++) {
                            ViolationAlert a = applied.raised.get(i);
                            LOG.infof("alert %s %s at %s for decision %s", a.alertId(), a.ruleId(), a.subject().pharmacyCode(),
                                    applied.raisedBy.get(i));
                        }
                    }
                    LOG.debugf("applied %d decisions (%d duplicates), %d alerts", batch.size(), applied.duplicates,
                            applied.raised.size());
                    return applied.raised;
                })
                .onFailure(e -> !Failures.isTransient(e)).recoverWithUni(e -> oneByOne(batch, e))
                .eventually(() -> sample.stop(batchTimer));
    }

    private record Applied(List<ViolationAlert> raised, List<String> raisedBy, int duplicates) {
    }

    private Uni<Applied> apply(PipelinedTransaction.Tx tx, List<SettlementDecision> batch) {
        SqlConnection conn = tx.connection();
        List<String> keys = new ArrayList<>(batch.size());
        batch.forEach(d -> keys.add(DecisionProcessor.eventKey(d)));
        return processed.firstTimeAll(conn, DecisionProcessor.CONSUMER, new LinkedHashSet<>(keys)).flatMap(fresh -> {
            // first deliveries only, each once, in record order
            List<SettlementDecision> todo = new ArrayList<>(batch.size());
            Set<String> taken = new HashSet<>();
            for (int i = 0; i < batch.size(); i++) {
                if (fresh.contains(keys.get(i)) && taken.add(keys.get(i))) {
                    todo.add(batch.get(i));
                }
            }
            int dupes = batch.size() - todo.size();
            if (todo.isEmpty()) {
                return tx.commitWith(List.of()).replaceWith(new Applied(List.of(), List.of(), dupes));
            }
            return state.batchWithTrails(conn, todo).flatMap(windows -> evaluateAll(conn, windows, todo)
                    .flatMap(found -> windows.flush().replaceWith(found))
                    .flatMap(found -> {
                        // rows changed at terminals the batch did not lease: their trails go before the commit and after it
                        Set<String> unleased = windows.unleasedChanges();
                        trails.drop(unleased);
                        return record(tx, found, dupes).invoke(applied -> {
                            // committed: the leased terminals' trails as they are now (AUD-07, TerminalTrails)
                            trails.drop(unleased);
                            trails.keep(windows.lease(), windows.trails());
                        });
                    }));
        });
    }

    /** One finding with the decision it came from (for the log). */
    private record Found(AlertStore.Detected detected, String eventId) {
    }

    private Uni<List<Found>> evaluateAll(SqlConnection conn, WindowBatch windows, List<SettlementDecision> todo) {
        List<Found> found = new ArrayList<>();
        // dedupe keys the batch's earlier decisions alerted on: to AUD-08 they are alerts that exist
        Set<String> alerted = new HashSet<>();
        // what the table answered per key: it does not change before the batch records its alerts
        // (AUD-07 asks for each burst settlement, AUD-08 for each settlement of a spiking day)
        Map<String, Boolean> stored = new HashMap<>();
        Set<String> ahead = windows.alertKeysAhead(todo);
        return alerts.existingKeys(conn, ahead)
                .invoke(existing -> ahead.forEach(key -> stored.put(key, existing.contains(key))))
                .chain(() -> Multi.createFrom().iterable(todo)
                .onItem().transformToUniAndConcatenate(d -> {
                    OffsetDateTime detectedAt = OffsetDateTime.now(Beijing.ZONE).truncatedTo(ChronoUnit.MILLIS);
                    return windows.apply(d, key -> {
                                if (alerted.contains(key)) {
                                    return Uni.createFrom().item(true);
                                }
                                Boolean known = stored.get(key);
                                return known != null ? Uni.createFrom().item(known)
                                        : alerts.exists(conn, key).invoke(e -> stored.put(key, e));
                            })
                            .invoke(o -> {
                                for (Finding f : single.evaluate(o)) {
                                    alerted.add(f.dedupeKey());
                                    found.add(new Found(new AlertStore.Detected(f, detectedAt), d.eventId()));
                                }
                            });
                })
                .collect().last())
                .replaceWith(found);
    }

    private Uni<Applied> record(PipelinedTransaction.Tx tx, List<Found> found, int dupes) {
        SqlConnection conn = tx.connection();
        List<AlertStore.Detected> detected = found.stream().map(Found::detected).toList();
        return alerts.recordAll(conn, detected).flatMap(results -> {
            List<ViolationAlert> raised = new ArrayList<>();
            List<String> by = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                Optional<ViolationAlert> a = results.get(i);
                if (a.isPresent()) {
                    raised.add(a.get());
                    by.add(found.get(i).eventId());
                }
            }
            return tx.commitWith(List.of(outbox.addAll(conn, raised.stream().map(DecisionProcessor::message).toList())))
                    .replaceWith(new Applied(raised, by, dupes));
        });
    }

    /**
     * The batch's transaction failed for a reason a retry would repeat: apply its decisions one
     * transaction each (already applied ones are skipped by the processed-message log), so that only
     * the decision at fault is held back.
     */
    private Uni<List<ViolationAlert>> oneByOne(List<SettlementDecision> batch, Throwable cause) {
        fallbacks.increment();
        LOG.warnf(cause, "a batch of %d decisions failed (%s); applying them one decision per transaction", batch.size(),
                cause.getClass().getSimpleName());
        List<ViolationAlert> raised = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        AtomicInteger position = new AtomicInteger();
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(d -> {
                    int at = position.getAndIncrement();
                    return single.process(d)
                            .invoke(raised::addAll)
                            .onFailure().recoverWithItem(e -> {
                                failed.increment();
                                failures.add(e);
                                LOG.errorf(e, "decision %s (%s, position %d of the batch) cannot be applied", d.eventId(),
                                        d.eventType(), at);
                                return List.of();
                            });
                })
                .collect().last()
                .flatMap(x -> failures.isEmpty() ? Uni.createFrom().item(raised)
                        : Uni.createFrom().failure(new IllegalStateException(failures.size() + " of " + batch.size()
                        + " decisions of the batch cannot be applied; the others were", failures.get(0))));
    }
}
