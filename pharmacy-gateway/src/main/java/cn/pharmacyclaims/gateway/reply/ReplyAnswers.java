package cn.pharmacyclaims.gateway.reply;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementResult;
import cn.pharmacyclaims.common.events.SettlementStatus;
import cn.pharmacyclaims.common.json.Json;
import cn.pharmacyclaims.gateway.api.Answer;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemMappers;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Optional;

/**
 * What the POS gets for settlement's reply (POS-API.md §1), or for no reply within the wait
 * budget: 200 with the result for every outcome (settled or rejected alike), 409 for CLM-01's
 * same msgId with another body, 404 for an unknown setlId, and 202 PENDING with a Location to
 * poll when the decision is late. A late preview (CLM-13: nothing is recorded, nothing to poll)
 * is a 503 to retry instead. The result is passed on as the JSON text settlement wrote
 * ({@link ReplyEnvelope}).
 */
public final class ReplyAnswers {
    public static final String DUPLICATE_MSG_ID_CONFLICT = "DUPLICATE_MSG_ID_CONFLICT";
    public static final String SETTLEMENTS_PATH = "/api/v1/settlements";

    private ReplyAnswers() {
    }

    public static Answer of(SettlementCommand command, Optional<ReplyEnvelope> reply, String instance, int retryAfterSeconds) {
        if (reply.isEmpty()) {
            return late(command, instance, retryAfterSeconds);
        }
        ReplyEnvelope r = reply.get();
        if (r.outcome() == null) {
            return problem(Problem.of(502, "Bad gateway", "settlement answered without an outcome"), instance, "upstream_error");
        }
        return switch (r.outcome()) {
            case RESULT -> r.resultJson() == null
                    ? problem(Problem.of(502, "Bad gateway", "settlement answered without a result"), instance, "upstream_error")
                    : new Answer(Response.ok(r.resultJson(), MediaType.APPLICATION_JSON).build(),
                    r.resultStatus() == null ? "result" : r.resultStatus().name().toLowerCase());
            case CONFLICT -> problem(Problem.of(409, "Conflict", detail(r,
                    "this msgId was already used with a different body (CLM-01)")).withCode(DUPLICATE_MSG_ID_CONFLICT), instance, "conflict");
            case NOT_FOUND -> problem(Problem.of(404, "Not found", detail(r, "no such settlement for this pharmacy"))
                    .withCode("NOT_FOUND"), instance, "not_found");
        };
    }

    private static Answer late(SettlementCommand command, String instance, int retryAfterSeconds) {
        return switch (command.type()) {
            case PREVIEW -> new Answer(Refusal.retryLater(RefusalReason.SETTLEMENT_UNAVAILABLE,
                    "the preview was not computed within the wait budget; nothing was recorded, try again", retryAfterSeconds)
                    .response(instance), "timeout");
            case SETTLE -> pending(command.settlement().msgId(), null, pollByMsgId(command.settlement().msgId()));
            // CLM-15: the POS follows the original purchase, which becomes REVERSED
            case REVERSE -> pending(command.reversal().originalMsgId(), null, pollByMsgId(command.reversal().originalMsgId()));
            case CANCEL -> pending(command.cancel().msgId(), command.cancel().setlId(),
                    SETTLEMENTS_PATH + "/" + command.cancel().setlId());
        };
    }

    public static String pollByMsgId(String msgId) {
        return SETTLEMENTS_PATH + "?msgId=" + msgId;
    }

    private static Answer pending(String msgId, String setlId, String location) {
        SettlementResult body = new SettlementResult(setlId, msgId, SettlementStatus.PENDING, null, List.of(), null,
                List.of(), null);
        return new Answer(Response.accepted(Json.write(body)).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.LOCATION, location).build(), "pending");
    }

    private static Answer problem(Problem p, String instance, String outcome) {
        return new Answer(ProblemMappers.response(new Problem(p.type(), p.title(), p.status(), p.detail(), instance,
                p.code(), p.errors())), outcome);
    }

    private static String detail(ReplyEnvelope r, String fallback) {
        return r.detail() == null || r.detail().isBlank() ? fallback : r.detail();
    }
}
