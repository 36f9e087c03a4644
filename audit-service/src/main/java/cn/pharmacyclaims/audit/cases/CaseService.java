package cn.pharmacyclaims.audit.cases;

import cn.pharmacyclaims.audit.alert.AlertStore;
import cn.pharmacyclaims.audit.rules.Beijing;
import cn.pharmacyclaims.audit.sanction.SanctionsConfig;
import cn.pharmacyclaims.audit.sanction.SanctionsLadder;
import cn.pharmacyclaims.common.events.SanctionRequested;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.common.kafka.Topics;
import cn.pharmacyclaims.platform.outbox.Outbox;
import cn.pharmacyclaims.platform.outbox.OutboxMessage;
import cn.pharmacyclaims.platform.outbox.OutboxRelay;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * AUD-20 cases and the AUD-21 ladder. Every step is one transaction: the case's state, its history
 * row (SEC-04), the withheld settlements (SET-03) and, on confirmation, the sanction and its
 * {@code audit.sanctions} outbox row; the relay is nudged after the commit. SEC-03: the auditor
 * who opened a case cannot confirm it.
 */
@ApplicationScoped
public class CaseService {
    private static final Logger LOG = Logger.getLogger(CaseService.class);

    private final Pool pool;
    private final CaseStore store;
    private final AlertStore alerts;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final SanctionsLadder ladder;
    private final MeterRegistry registry;

    public CaseService(Pool pool, CaseStore store, AlertStore alerts, Outbox outbox, OutboxRelay relay, SanctionsConfig sanctions,
                       MeterRegistry registry) {
        this.pool = pool;
        this.store = store;
        this.alerts = alerts;
        this.outbox = outbox;
        this.relay = relay;
        this.ladder = sanctions.ladder();
        this.registry = registry;
    }

    // ---- open ------------------------------------------------------------------------------

    /** AUD-20: a case from alerts that exist, are about ONE pharmacy and are in no open or confirmed case. */
    public Uni<CaseView> open(String auditor, CaseRequests.Opening o) {
        String caseId = "C-" + UUID.randomUUID();
        return pool.withTransaction(tx -> store.lockAlerts(tx, o.alertIds())
                        .flatMap(found -> {
                            String pharmacy = onePharmacy(o.alertIds(), found);
                            return store.claims(tx, o.alertIds()).flatMap(claims -> {
                                refuseClaimed(o.alertIds(), claims);
                                String alertRegion = found.values().stream().map(CaseStore.AlertOwner::regionCode)
                                        .filter(r -> r != null).findFirst().orElse(null);
                                return store.regionOf(tx, pharmacy)
                                        .flatMap(region -> insert(tx, caseId, auditor, o, pharmacy, region != null ? region : alertRegion));
                            });
                        }))
                .onFailure(CaseService::transientDb).retry().withBackOff(Duration.ofMillis(50)).atMost(3)
                .invoke(opened -> {
                    count("opened");
                    LOG.infof("case %s opened by %s for pharmacy %s from %d alert(s); %d settlement(s) withheld", caseId, auditor,
                            opened.pharmacyCode(), o.alertIds().size(), opened.withheld());
                })
                .flatMap(x -> viewOrFail(caseId));
    }

    private record Opened(String pharmacyCode, int withheld) {
    }

    private Uni<Opened> insert(SqlClient tx, String caseId, String auditor, CaseRequests.Opening o, String pharmacy, String region) {
        OffsetDateTime now = now();
        AuditCase c = new AuditCase(caseId, pharmacy, region, o.title(), CaseStatus.OPEN, auditor, now, null, null, null, null, null,
                null, null);
        return store.insertCase(tx, c, o.alertIds())
                .flatMap(x -> store.withholdSettlements(tx, caseId, pharmacy, o.alertIds()))
                .flatMap(withheld -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("title", o.title());
                    details.put("pharmacyCode", pharmacy);
                    details.put("alertIds", o.alertIds().stream().map(UUID::toString).toList());
                    details.put("withheldSettlements", withheld);
                    return store.addEvent(tx, caseId, CaseEventType.OPENED, auditor, now, o.note(), null, details)
                            .replaceWith(new Opened(pharmacy, withheld));
                });
    }

    /** Every alert must exist and name the same pharmacy; otherwise one 400 naming each offending alertIds[i]. */
    static String onePharmacy(List<UUID> ids, Map<UUID, CaseStore.AlertOwner> found) {
        List<Problem.FieldError> unknown = new ArrayList<>();
        List<Problem.FieldError> noPharmacy = new ArrayList<>();
        Map<String, List<Integer>> byPharmacy = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            CaseStore.AlertOwner a = found.get(ids.get(i));
            if (a == null) {
                unknown.add(new Problem.FieldError("alertIds[" + i + "]", "no alert " + ids.get(i)));
            } else if (a.pharmacyCode() == null) {
                noPharmacy.add(new Problem.FieldError("alertIds[" + i + "]", "the alert names no pharmacy; a case is about one pharmacy"));
            } else {
                byPharmacy.computeIfAbsent(a.pharmacyCode(), k -> new ArrayList<>()).add(i);
            }
        }
        if (!unknown.isEmpty()) {
            throw problem(Problem.invalid(unknown.size() + " of the alerts do not exist", unknown).withCode("UNKNOWN_ALERT"));
        }
        if (!noPharmacy.isEmpty()) {
            throw problem(Problem.invalid("a case is opened from alerts about a pharmacy", noPharmacy).withCode("ALERT_WITHOUT_PHARMACY"));
        }
        if (byPharmacy.size() > 1) {
            List<Problem.FieldError> errors = new ArrayList<>();
            byPharmacy.forEach((code, idx) -> idx.forEach(i -> errors.add(new Problem.FieldError("alertIds[" + i + "]",
                    "is about pharmacy " + code))));
            throw problem(Problem.invalid("the alerts are about " + byPharmacy.size() + " pharmacies (" + String.join(", ", byPharmacy.keySet())
                    + "); a case is about one pharmacy", errors).withCode("ALERTS_OF_SEVERAL_PHARMACIES"));
        }
        return byPharmacy.keySet().iterator().next();
    }

    /**
     * An alert in an OPEN case is being investigated (409 ALERT_IN_OPEN_CASE); one in a CONFIRMED case
     * has been judged and counted on the ladder, so a second case from it would count it twice (409
     * ALERT_IN_CONFIRMED_CASE). A DISMISSED case frees its alerts: new evidence may reopen them.
     */
    static void refuseClaimed(List<UUID> ids, List<CaseStore.Claim> claims) {
        if (claims.isEmpty()) {
            return;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (CaseStore.Claim c : claims) {
            errors.add(new Problem.FieldError("alertIds[" + ids.indexOf(c.alertId()) + "]",
                    "is in " + c.status() + " case " + c.caseId()));
        }
        boolean open = claims.stream().anyMatch(c -> c.status() == CaseStatus.OPEN);
        CaseStore.Claim first = claims.stream().filter(c -> !open || c.status() == CaseStatus.OPEN).findFirst().orElseThrow();
        String detail = open ? "alert " + first.alertId() + " is already in open case " + first.caseId()
                : "alert " + first.alertId() + " was already confirmed in case " + first.caseId();
        throw problem(new Problem("about:blank", "Conflict", 409, detail, null,
                open ? "ALERT_IN_OPEN_CASE" : "ALERT_IN_CONFIRMED_CASE", errors));
    }

    // ---- notes -----------------------------------------------------------------------------

    public Uni<CaseEvent> addNote(String auditor, String caseId, CaseRequests.Note note) {
        return pool.withTransaction(tx -> store.lock(tx, caseId, false).flatMap(found -> {
            AuditCase c = found.orElseThrow(() -> ProblemException.notFound("no case " + caseId));
            if (c.status() != CaseStatus.OPEN) {
                throw ProblemException.conflict("case " + caseId + " is " + c.status() + "; notes are added while it is open",
                        "CASE_CLOSED");
            }
            return store.addEvent(tx, caseId, CaseEventType.NOTE_ADDED, auditor, now(), note.note(), note.evidence(), null);
        }));
    }

    // ---- close -----------------------------------------------------------------------------

    /**
     * AUD-20 close. CONFIRMED by a second auditor only (SEC-03) and, in the same transaction, the
     * AUD-21 sanction to the outbox. DISMISSED by anyone holding the role; it sanctions nothing.
     */
    public Uni<CaseView> close(String auditor, String caseId, CaseRequests.Closing closing) {
        return pool.withTransaction(tx -> store.lock(tx, caseId, true).flatMap(found -> {
                    AuditCase c = found.orElseThrow(() -> ProblemException.notFound("no case " + caseId));
                    if (c.status() != CaseStatus.OPEN) {
                        throw ProblemException.conflict("case " + caseId + " was already closed as " + c.status() + " by "
                                + c.closedBy() + " at " + c.closedAt() + "; a case closes once (SEC-04)", "CASE_ALREADY_CLOSED");
                    }
                    if (closing instanceof CaseRequests.Confirm confirm) {
                        if (auditor.equals(c.openedBy())) {
                            // SEC-03: a person never checks their own work
                            throw problem(Problem.of(403, "Forbidden", "SEC-03: " + auditor + " opened case " + caseId
                                    + " and cannot confirm it; a second auditor confirms").withCode("SEGREGATION_OF_DUTIES"));
                        }
                        return confirm(tx, c, auditor, confirm);
                    }
                    return dismiss(tx, c, auditor, (CaseRequests.Dismiss) closing);
                }))
                .onFailure(CaseService::transientDb).retry().withBackOff(Duration.ofMillis(50)).atMost(3)
                .invoke(sanction -> {
                    if (sanction.isPresent()) {
                        relay.nudge();
                        SanctionRequested s = sanction.get();
                        count("confirmed");
                        registry.counter("pc.audit.sanctions", "level", s.level().name()).increment();
                        LOG.infof("case %s confirmed by %s: sanction %s %s for pharmacy %s (%d confirmed in window)", caseId, auditor,
                                s.sanctionId(), s.level(), s.pharmacyCode(), s.confirmedCasesIn12Months());
                    } else {
                        count("dismissed");
                        LOG.infof("case %s dismissed by %s", caseId, auditor);
                    }
                })
                .flatMap(x -> viewOrFail(caseId));
    }

    private Uni<Optional<SanctionRequested>> confirm(SqlClient tx, AuditCase c, String auditor, CaseRequests.Confirm confirm) {
        boolean severe = ladder.severe(confirm.category());
        String pharmacy = c.pharmacyCode();
        return store.lockLadder(tx, pharmacy).flatMap(locked -> {
            // taken after the lock: a confirmation that committed meanwhile is counted, and this one is later
            OffsetDateTime now = now();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("violatingAmount", confirm.violatingAmount().toPlainString());
            details.put("category", confirm.category().name());
            details.put("severe", severe);
            details.put("penaltyAmount", confirm.penaltyAmount() == null ? null : confirm.penaltyAmount().toPlainString());
            return store.confirm(tx, c.caseId(), auditor, now, confirm, severe)
                    .flatMap(x -> store.addEvent(tx, c.caseId(), CaseEventType.CONFIRMED, auditor, now, confirm.reason(), null, details))
                    .flatMap(x -> store.confirmedSince(tx, pharmacy, ladder.windowStart(now)))
                    .flatMap(times -> {
                        SanctionsLadder.Rung rung = ladder.decide(c.caseId(), confirm.category(), ladder.countInWindow(times, now));
                        return store.regionOf(tx, pharmacy).flatMap(region -> {
                            SanctionRequested s = new SanctionRequested(UUID.randomUUID().toString(), pharmacy,
                                    region != null ? region : c.regionCode(), rung.level(), rung.policeReferral(), c.caseId(),
                                    rung.reason(), rung.confirmedCasesInWindow(), auditor, now, SanctionRequested.SCHEMA_VERSION,
                                    confirm.category());
                            Map<String, Object> sd = new LinkedHashMap<>();
                            sd.put("sanctionId", s.sanctionId());
                            sd.put("level", s.level().name());
                            sd.put("policeReferral", s.policeReferral());
                            sd.put("confirmedCasesIn12Months", s.confirmedCasesIn12Months());
                            return store.insertSanction(tx, s)
                                    .flatMap(x -> store.addEvent(tx, c.caseId(), CaseEventType.SANCTION_REQUESTED, auditor, now,
                                            s.reason(), null, sd))
                                    // AUD-21: the sanction exists if and only if the confirmation committed
                                    .flatMap(x -> outbox.add(tx, new OutboxMessage(s.sanctionId(), Topics.SANCTIONS, pharmacy, Json.write(s))))
                                    .replaceWith(Optional.of(s));
                        });
                    });
        });
    }

    private Uni<Optional<SanctionRequested>> dismiss(SqlClient tx, AuditCase c, String auditor, CaseRequests.Dismiss dismiss) {
        OffsetDateTime now = now();
        return store.dismiss(tx, c.caseId(), auditor, now, dismiss.reason())
                .flatMap(x -> store.addEvent(tx, c.caseId(), CaseEventType.DISMISSED, auditor, now, dismiss.reason(), null, null))
                .replaceWith(Optional.empty());
    }

    // ---- reads -----------------------------------------------------------------------------

    public Uni<Optional<CaseView>> view(String caseId) {
        return store.find(pool, caseId).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<CaseView>empty());
            }
            AuditCase c = found.get();
            return store.alertIds(pool, caseId)
                    .flatMap(alerts::findAll)
                    .flatMap(as -> store.settlements(pool, caseId)
                            .flatMap(ss -> store.events(pool, caseId)
                                    .flatMap(es -> store.sanction(pool, caseId)
                                            .map(s -> Optional.of(CaseView.of(c, as, ss, es, s.orElse(null)))))));
        });
    }

    public Uni<List<AuditCase>> list(String pharmacyCode, CaseStatus status, int limit) {
        return store.list(pool, pharmacyCode, status, limit);
    }

    public Uni<List<CaseSettlement>> settlements(CaseStatus status, String pharmacyCode) {
        return store.settlementsByStatus(pool, status, pharmacyCode);
    }

    private Uni<CaseView> viewOrFail(String caseId) {
        return view(caseId).map(v -> v.orElseThrow(() -> ProblemException.notFound("no case " + caseId)));
    }

    private void count(String event) {
        registry.counter("pc.audit.cases", "event", event).increment();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(Beijing.ZONE).truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Deadlock or serialization failure: the whole transaction is retried. The intake appends to alerts
     * in its own order while an opening locks them in id order, so the two can, rarely, deadlock.
     */
    static boolean transientDb(Throwable t) {
        return t instanceof PgException pg && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
    }

    private static ProblemException problem(Problem p) {
        return new ProblemException(p);
    }
}
