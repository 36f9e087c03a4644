package cn.pharmacyclaims.gateway.command;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.gateway.config.InstanceId;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.terminal.Terminal;
import cn.pharmacyclaims.gateway.validation.CommandBodyValidator;
import cn.pharmacyclaims.gateway.validation.PosJson;
import cn.pharmacyclaims.gateway.validation.SettlementRequestValidator;
import cn.pharmacyclaims.platform.web.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Turns an admitted POS body into the {@link SettlementCommand} settlement consumes, after the
 * 400 check (every bad field named). {@code bodyHash} is the SHA-256 of the exact bytes the
 * terminal signed (computed once, when the signature was checked): CLM-01 tells a replay (same
 * hash) from a conflicting reuse of a msgId. The body was parsed once, into a tree; the checks
 * build the request from it.
 */
@Singleton
public class Commands {
    private final SettlementRequestValidator settlementValidator = new SettlementRequestValidator();
    private final CommandBodyValidator bodyValidator = new CommandBodyValidator();
    private final InstanceId instanceId;
    private final Clock clock;

    public Commands(InstanceId instanceId, Clock clock) {
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** Preview (CLM-13) or settle. */
    public SettlementCommand purchase(CommandType type, Terminal terminal, String bodyHash, PosJson.Parsed parsed) {
        if (parsed.error() != null) {
            throw Refusal.invalid(List.of(new Problem.FieldError("$", parsed.error())));
        }
        SettlementRequestValidator.Checked checked = settlementValidator.read(parsed.node());
        requireValid(checked.errors());
        return command(type, terminal, bodyHash, checked.request(), null, null);
    }

    /** CLM-14: the pharmacy is the terminal's own. */
    public SettlementCommand cancel(Terminal terminal, String setlId, String bodyHash, PosJson.Parsed parsed) {
        requireValid(bodyValidator.cancel(setlId, parsed, terminal.pharmacyCode()));
        JsonNode node = parsed.node();
        String msgId = node == null ? null : text(node, "msgId");
        String operatorId = node == null ? null : text(node, "operatorId");
        return command(CommandType.CANCEL, terminal, bodyHash, null,
                new SettlementCommand.CancelRequest(setlId, msgId, terminal.pharmacyCode(), operatorId), null);
    }

    /** CLM-15. */
    public SettlementCommand reversal(Terminal terminal, String bodyHash, PosJson.Parsed parsed) {
        requireValid(bodyValidator.reversal(parsed, terminal.pharmacyCode()));
        JsonNode node = parsed.node();
        return command(CommandType.REVERSE, terminal, bodyHash, null, null,
                new SettlementCommand.ReversalRequest(text(node, "msgId"), text(node, "originalMsgId"), terminal.pharmacyCode()));
    }

    private SettlementCommand command(CommandType type, Terminal terminal, String bodyHash, SettlementRequest settlement,
                                      SettlementCommand.CancelRequest cancel, SettlementCommand.ReversalRequest reversal) {
        return new SettlementCommand(UUID.randomUUID().toString(), type, instanceId.value(), terminal.terminalId(),
                OffsetDateTime.now(clock), bodyHash, settlement, cancel, reversal);
    }

    private static void requireValid(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw Refusal.invalid(errors);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
