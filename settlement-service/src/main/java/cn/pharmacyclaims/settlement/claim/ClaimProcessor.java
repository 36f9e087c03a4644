package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.RejectCode;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.platform.db.PipelinedTransaction;
import cn.pharmacyclaims.platform.outbox.Outbox;
import cn.pharmacyclaims.platform.outbox.OutboxMessage;
import cn.pharmacyclaims.settlement.adjudication.Adjudication;
import cn.pharmacyclaims.settlement.adjudication.AdjudicationInput;
import cn.pharmacyclaims.settlement.adjudication.Snapshots;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one command in one database transaction: PREVIEW (CLM-13), SETTLE (CLM-01..CLM-12,
 * CLM-15's late original), CANCEL (CLM-14) and REVERSE (CLM-15). Every state change and its
 * decision event are written together (outbox); the caller replies only after the commit.
 *
 * <p>Lock order, the same everywhere so that no two transactions wait on each other in a cycle:
 * msg_claim row, then settlement row, then the person's account row.
 */
@ApplicationScoped
public class ClaimProcessor {
    private static final Logger LOG = Logger.getLogger(ClaimProcessor.class);

    private final Pool pool;
    private final SettlementStore store;
    private final SnapshotLoader loader;
    private final AdjudicationService adjudication;
    private final Decisions decisions;
    private final Outbox outbox;
    private final Clock clock;
    private final SettlementConfig config;

    public ClaimProcessor(Pool pool, SettlementStore store, SnapshotLoader loader, AdjudicationService adjudication,
                          Decisions decisions, Outbox outbox, Clock clock, SettlementConfig config) {
        this.pool = pool;
        this.store = store;
        this.loader = loader;
        this.adjudication = adjudication;
        this.decisions = decisions;
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Processes the command, retrying its whole transaction on transient database failures for as
     * long as they last (the command is not acknowledged meanwhile), and a few times on anything
     * else before giving up (the caller then dead-letters it).
     */
    public Uni<CommandOutcome> process(SettlementCommand cmd) {
        Uni<CommandOutcome> once = Uni.createFrom().deferred(() -> switch (cmd.type()) {
            case PREVIEW -> preview(cmd);
            case SETTLE -> settle(cmd);
            case CANCEL -> cancel(cmd);
            case REVERSE -> reverse(cmd);
        });
        Uni<CommandOutcome> retried = TransientFailures.retry(once, config);
        int attempts = config.retry().maxAttemptsOnOtherFailures();
        if (attempts > 1) {
            retried = retried.onFailure(f -> !(f instanceof InvalidCommand))
                    .invoke(f -> LOG.warnf("command %s (%s) failed, retrying: %s", cmd.commandId(), cmd.type(), f.toString()))
                    .onFailure(f -> !(f instanceof InvalidCommand)).retry().atMost(attempts - 1L);
        }
        return retried;
    }

    // ---- PREVIEW (CLM-13): exactly what SETTLE would compute, nothing changed or recorded ----------

    Uni<CommandOutcome> preview(SettlementCommand cmd) {
        SettlementRequest req = cmd.settlement();
        LocalDate saleDate = saleDate(req);
        return pool.withConnection(conn -> loader.load(conn, cmd, saleDate))
                .map(input -> {
                    Adjudication a = adjudication.adjudicate(input, CommandType.PREVIEW);
                    OffsetDateTime now = now();
                    SettlementResult result = a instanceof Adjudication.Accepted acc
                            ? new SettlementResult(null, req.msgId(), SettlementStatus.PREVIEWED, acc.totals(), acc.lines(),
                            acc.accountBalanceAfter(), List.of(), now)
                            : SettlementResult.rejected(null, req.msgId(), ((Adjudication.Rejected) a).rejects(), now);
                    return CommandOutcome.result(result, false);
                });
    }

    // ---- SETTLE -------------------------------------------------------------------------------------

    Uni<CommandOutcome> settle(SettlementCommand cmd) {
        return settleAll(List.of(cmd)).map(outcomes -> outcomes.get(0));
    }

    /**
     * SETTLEs of different persons with different msgIds in one transaction (group commit), their
     * outcomes in the commands' order. Two round trips whatever the group's size
     * ({@link PipelinedTransaction}): BEGIN and everything read, then everything written and the
     * COMMIT. Fails as a whole (nothing recorded) if any statement fails; the caller then runs the
     * commands one by one ({@link #process}), so one bad settlement cannot hold up the others.
     */
    public Uni<List<CommandOutcome>> settleAll(List<SettlementCommand> commands) {
        List<String> msgIds = new ArrayList<>(commands.size());
        List<String> psnNos = new ArrayList<>(commands.size());
        List<LocalDate> saleDates = new ArrayList<>(commands.size());
        for (SettlementCommand cmd : commands) {
            msgIds.add(cmd.settlement().msgId());
            if (cmd.settlement().psnNo() != null) {
                psnNos.add(cmd.settlement().psnNo());
            }
            saleDates.add(saleDate(cmd.settlement()));
        }
        // One round trip for everything read: the msgId claims first (they wait for a concurrent
        // holder), then the stored settlements and reversal markers, the account locks (CLM-12: before
        // anything of the persons is read) and the adjudication's snapshots. Statements run in this
        // order on the server. A replay or a reversed msgId simply does not use its snapshots.
        return PipelinedTransaction.run(pool, tx -> {
            SqlConnection conn = tx.connection();
            Uni<Void> claims = store.claimMsgIds(conn, msgIds);
            Uni<Map<String, StoredSettlement>> stored = store.byMsgIds(conn, msgIds);
            Uni<Map<String, String>> reversals = store.reversalMarkers(conn, msgIds);
            Uni<Void> accountLocks = store.lockAccounts(conn, psnNos);
            Uni<List<AdjudicationInput>> snapshots = loader.loadAll(conn, commands, saleDates);
            return Uni.combine().all().unis(claims.replaceWith(Boolean.TRUE), stored, reversals,
                            accountLocks.replaceWith(Boolean.TRUE), snapshots).asTuple()
                    .chain(t -> {
                        List<CommandOutcome> outcomes = new ArrayList<>(commands.size());
                        Writes writes = new Writes();
                        for (int i = 0; i < commands.size(); i++) {
                            outcomes.add(decide(commands.get(i), t.getItem2(), t.getItem3(), t.getItem5().get(i), writes));
                        }
                        return tx.commitWith(writes.statements(conn)).replaceWith(outcomes);
                    });
        });
    }

    /** One settlement of a group: a replay's stored answer (CLM-01), or a new decision added to the group's writes. */
    private CommandOutcome decide(SettlementCommand cmd, Map<String, StoredSettlement> stored, Map<String, String> reversals,
                                  AdjudicationInput input, Writes writes) {
        SettlementRequest req = cmd.settlement();
        String msgId = req.msgId();
        String hash = Commands.bodyHash(cmd);
        StoredSettlement existing = stored.get(msgId);
        if (existing != null) { // CLM-01
            if (existing.bodyHash().equals(hash)) {
                LOG.debugf("msgId %s replayed: answering the stored result of %s", msgId, existing.setlId());
                return CommandOutcome.result(existing.currentResult(), false);
            }
            return CommandOutcome.conflict("DUPLICATE_MSG_ID_CONFLICT: msgId " + msgId + " was used before with another request body");
        }
        String regionCode = input.pharmacy() == null ? null : input.pharmacy().regionCode();
        String reversedBy = reversals.get(msgId);
        Adjudication decision = reversedBy != null && reversedBy.equals(req.pharmacyCode())
                // CLM-15: the original arrives after its reversal: recorded as rejected, so its replays answer the same
                ? new Adjudication.Rejected(List.of(new SettlementResult.Reject(RejectCode.REVERSED_BEFORE_ARRIVAL, null,
                "msgId " + msgId + " was reversed by the pharmacy before it arrived")))
                : adjudication.adjudicate(input, CommandType.SETTLE);
        return record(cmd, hash, regionCode, input.items(), decision, writes);
    }

    /** Everything a group of decided settlements writes, sent as one pipeline of batches. */
    private final class Writes {
        final List<NewSettlement> settlements = new ArrayList<>();
        final List<NewSettlement> settled = new ArrayList<>();
        final List<SettlementStore.Debit> debits = new ArrayList<>();
        final List<SettlementStore.AccumulatorIncrement> increments = new ArrayList<>();
        final List<SettlementStore.PrescriptionUseRow> prescriptionUses = new ArrayList<>();
        final List<OutboxMessage> events = new ArrayList<>();

        /** Every write, in this order (the lines after their settlements); sent together with the COMMIT. */
        List<Uni<?>> statements(SqlConnection conn) {
            if (settlements.isEmpty()) {
                return List.of(); // replays only
            }
            return List.of(store.insertAll(conn, settlements), store.debitAccounts(conn, debits),
                    store.addAccumulators(conn, increments), store.recordSupplies(conn, settled),
                    store.recordPrescriptionUses(conn, prescriptionUses), outbox.addAll(conn, events));
        }
    }

    /** Adds the decided settlement (SETTLED or REJECTED), everything it changes and its decision event to the group's writes. */
    private CommandOutcome record(SettlementCommand cmd, String hash, String regionCode, Map<String, Snapshots.CatalogueItem> items,
                                  Adjudication decision, Writes writes) {
        SettlementRequest req = cmd.settlement();
        LocalDate saleDate = saleDate(req);
        String setlId = SetlIds.next();
        OffsetDateTime now = now();
        SettlementResult result;
        List<LineRow> lines;
        NewSettlement row;
        String requestJson = Json.write(req);
        if (decision instanceof Adjudication.Accepted acc) {
            lines = LineRow.of(req, items, acc.lines());
            result = new SettlementResult(setlId, req.msgId(), SettlementStatus.SETTLED, acc.totals(), acc.lines(),
                    acc.accountBalanceAfter(), List.of(), now);
            row = new NewSettlement(setlId, req.msgId(), hash, cmd.commandId(), req.psnNo(), req.pharmacyCode(), cmd.terminalId(),
                    regionCode, req.operatorId(), SettlementStatus.SETTLED, req.occurredAt(), saleDate, acc.totals(),
                    acc.accountBalanceAfter(), acc.delta(), List.of(), requestJson, Json.write(result), now, lines);
            Adjudication.AccumulatorDelta d = acc.delta();
            writes.settled.add(row);
            writes.debits.add(new SettlementStore.Debit(req.psnNo(), d.accountPaid(), acc.accountBalanceAfter()));
            writes.increments.add(new SettlementStore.AccumulatorIncrement(req.psnNo(), saleDate.getYear(),
                    d.poolingDeductibleUsed(), d.poolingFundPaid(), d.accountPaid(), d.chronicFundPaid()));
            SettlementRequest.Prescription rx = req.prescription();
            if (rx != null && Boolean.TRUE.equals(rx.electronic()) && rx.rxNo() != null && lines.stream().anyMatch(l -> l.rxNo() != null)) {
                writes.prescriptionUses.add(new SettlementStore.PrescriptionUseRow(setlId, rx.rxNo(), rx.institutionCode()));
            }
        } else {
            List<SettlementResult.Reject> rejects = ((Adjudication.Rejected) decision).rejects();
            lines = LineRow.of(req, items, null);
            result = SettlementResult.rejected(setlId, req.msgId(), rejects, now);
            row = new NewSettlement(setlId, req.msgId(), hash, cmd.commandId(), req.psnNo(), req.pharmacyCode(), cmd.terminalId(),
                    regionCode, req.operatorId(), SettlementStatus.REJECTED, req.occurredAt(), saleDate, null, null, null,
                    SettlementStore.codes(rejects), requestJson, Json.write(result), now, lines);
        }
        writes.settlements.add(row);
        SettlementDecision event = decisions.decision(
                result.status() == SettlementStatus.SETTLED ? DecisionEventType.SETTLED : DecisionEventType.REJECTED,
                req, cmd.terminalId(), regionCode, req.operatorId(), result, lines, result.accountBalanceAfter(), now);
        writes.events.add(decisions.message(event));
        // one line per settlement is too much at thousands per second: the decision event is the record
        LOG.debugf("msgId %s %s as %s at pharmacy %s%s", req.msgId(), result.status(), setlId, req.pharmacyCode(),
                result.rejects().isEmpty() ? "" : " " + SettlementStore.codes(result.rejects()));
        return CommandOutcome.result(result, true);
    }

    // ---- CANCEL (CLM-14) ----------------------------------------------------------------------------

    Uni<CommandOutcome> cancel(SettlementCommand cmd) {
        SettlementCommand.CancelRequest c = cmd.cancel();
        return pool.withTransaction(conn -> store.bySetlId(conn, c.setlId(), true)
                .chain(s -> {
                    // SEC-02: another pharmacy's settlement does not exist for this one
                    if (s == null || !Objects.equals(s.pharmacyCode(), c.pharmacyCode())) {
                        return Uni.createFrom().item(CommandOutcome.notFound("settlement " + c.setlId() + " not found"));
                    }
                    return undo(conn, s, SettlementStatus.CANCELLED, cmd, c.operatorId(), c.msgId());
                }));
    }

    // ---- REVERSE (CLM-15) ---------------------------------------------------------------------------

    Uni<CommandOutcome> reverse(SettlementCommand cmd) {
        SettlementCommand.ReversalRequest r = cmd.reversal();
        return pool.withTransaction(conn -> store.claimMsgId(conn, r.originalMsgId()) // serialised with the original's SETTLE
                .chain(() -> store.byMsgId(conn, r.originalMsgId(), true))
                .chain(s -> {
                    if (s != null) {
                        if (!Objects.equals(s.pharmacyCode(), r.pharmacyCode())) {
                            return Uni.createFrom().item(CommandOutcome.notFound("msgId " + r.originalMsgId() + " not found"));
                        }
                        return undo(conn, s, SettlementStatus.REVERSED, cmd, s.operatorId(), r.msgId());
                    }
                    // The original has not arrived: remember the reversal; the original is rejected on arrival.
                    return store.insertReversalMarker(conn, r, cmd.commandId())
                            .map(inserted -> CommandOutcome.result(reversedBeforeArrivalResult(r.originalMsgId(), now()), inserted));
                }));
    }

    /** The answer for a msgId reversed before it arrived: REVERSED, no settlement id, no amounts. */
    public static SettlementResult reversedBeforeArrivalResult(String originalMsgId, OffsetDateTime at) {
        return new SettlementResult(null, originalMsgId, SettlementStatus.REVERSED, null, List.of(), null, List.of(), at);
    }

    /**
     * Cancels (CLM-14) or reverses (CLM-15) a settlement. Idempotent: an undone settlement answers
     * its current result. A rejected one has nothing to undo: a cancel is refused, a reversal
     * answers the rejection (nothing stands either way).
     */
    private Uni<CommandOutcome> undo(SqlConnection conn, StoredSettlement s, SettlementStatus kind, SettlementCommand cmd,
                                     String operatorId, String requestMsgId) {
        switch (s.status()) {
            case CANCELLED, REVERSED -> {
                // Re-read in a fresh statement: after waiting for the row lock, the joined cancellation
                // row of the locking statement may predate the commit that undid the settlement.
                return store.bySetlId(conn, s.setlId(), false).map(now -> CommandOutcome.result(now.currentResult(), false));
            }
            case REJECTED -> {
                return Uni.createFrom().item(kind == SettlementStatus.REVERSED
                        ? CommandOutcome.result(s.currentResult(), false)
                        : notAllowed(s, kind, "settlement " + s.setlId() + " was rejected: there is nothing to cancel"));
            }
            default -> {
                LocalDate today = LocalDate.ofInstant(clock.instant(), config.zone());
                Optional<String> refusal = CancelRule.refusal(s.saleDate(), s.declared(), today); // CLM-14
                if (refusal.isPresent()) {
                    return Uni.createFrom().item(notAllowed(s, kind, refusal.get()));
                }
                return restore(conn, s, kind, cmd, operatorId, requestMsgId);
            }
        }
    }

    private CommandOutcome notAllowed(StoredSettlement s, SettlementStatus kind, String reason) {
        LOG.infof("%s of %s refused: %s", kind == SettlementStatus.CANCELLED ? "cancel" : "reversal", s.setlId(), reason);
        return CommandOutcome.result(SettlementResult.rejected(s.setlId(), s.msgId(),
                List.of(new SettlementResult.Reject(RejectCode.CANCEL_NOT_ALLOWED, null, reason)), now()), false);
    }

    /** CLM-14: balance, accumulators, supplies and the e-prescription back as before; status and event. */
    private Uni<CommandOutcome> restore(SqlConnection conn, StoredSettlement s, SettlementStatus kind, SettlementCommand cmd,
                                        String operatorId, String requestMsgId) {
        OffsetDateTime now = now();
        SettlementResult original = s.originalResult();
        return store.creditAccount(conn, s.psnNo(), s.accountPay()) // locks the account row (CLM-12)
                .chain(balance -> store.subtractAccumulators(conn, s.psnNo(), s.saleDate().getYear(), s.poolingDeductibleUsed(),
                                s.poolingFundPaid(), s.accountPay(), s.chronicFundPaid())
                        .chain(() -> store.release(conn, s.setlId()))
                        .chain(() -> store.lines(conn, s.setlId()))
                        .chain(lines -> {
                            SettlementResult current = new SettlementResult(original.setlId(), original.msgId(), kind,
                                    original.totals(), original.lines(),
                                    original.accountBalanceAfter() == null ? null : balance, List.of(), original.settledAt());
                            SettlementDecision event = decisions.decision(
                                    kind == SettlementStatus.CANCELLED ? DecisionEventType.CANCELLED : DecisionEventType.REVERSED,
                                    s.request(), s.terminalId(), s.regionCode(), operatorId, current, lines, balance, now);
                            return store.markUndone(conn, s.setlId(), kind, cmd.commandId(), requestMsgId, operatorId, balance,
                                            Json.write(current))
                                    .chain(() -> outbox.add(conn, decisions.message(event)))
                                    .invoke(() -> LOG.infof("settlement %s (msgId %s) %s", s.setlId(), s.msgId(), kind))
                                    .replaceWith(CommandOutcome.result(current, true));
                        }));
    }

    private LocalDate saleDate(SettlementRequest req) {
        return req.occurredAt().atZoneSameInstant(config.zone()).toLocalDate();
    }

    /** Beijing time, to the millisecond as the POS contract shows ({@code 10:15:00.120+08:00}). */
    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MILLIS), config.zone());
    }
}
