package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.DecisionEventType;
import cn.pharmacyclaims.common.events.SettlementDecision;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.platform.outbox.OutboxMessage;
import cn.pharmacyclaims.settlement.config.SettlementConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Builds the public {@link SettlementDecision} (POS-API.md §3) and its outbox row. The event id is
 * {@code setlId:eventType}: one settlement has one decision of each type, so a consumer can dedupe
 * on it and a retried transaction never makes a second one.
 */
@ApplicationScoped
public class Decisions {

    private final SettlementConfig config;

    public Decisions(SettlementConfig config) {
        this.config = config;
    }

    public SettlementDecision decision(DecisionEventType type, SettlementRequest request, String terminalId, String regionCode,
                                       String operatorId, SettlementResult result, List<LineRow> lines,
                                       BigDecimal accountBalanceAfter, OffsetDateTime decidedAt) {
        SettlementRequest.Prescription rx = request.prescription();
        return new SettlementDecision(result.setlId() + ":" + type, type, SettlementDecision.SCHEMA_VERSION, result.setlId(),
                result.msgId(), result.status(), request.psnNo(), request.pharmacyCode(), terminalId, regionCode, operatorId,
                request.occurredAt(), result.totals(), lines.stream().map(LineRow::toDecisionLine).toList(), accountBalanceAfter,
                result.rejects(), result.settledAt(),
                // AUD-23: the prescription reference without the patient's identity
                rx == null ? null : new SettlementDecision.RxRef(rx.rxNo(), rx.electronic(), rx.institutionCode(), rx.physicianCode()),
                decidedAt);
    }

    public OutboxMessage message(SettlementDecision d) {
        return new OutboxMessage(d.eventId(), config.decisionTopic(), d.psnNo() == null ? "" : d.psnNo(), Json.write(d));
    }
}
