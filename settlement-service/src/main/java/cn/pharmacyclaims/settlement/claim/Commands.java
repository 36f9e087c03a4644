package cn.pharmacyclaims.settlement.claim;

import cn.pharmacyclaims.common.events.SettlementCommand;
import cn.pharmacyclaims.common.events.SettlementRequest;
import cn.pharmacyclaims.common.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a record of {@code claims.settlement-requests}. The gateway validated the body already;
 * what fails here is a record no gateway could have produced, and it goes to the dead-letter
 * topic. Messages name the problem, never the payload (it carries identity numbers, AUD-23).
 */
final class Commands {
    private Commands() {
    }

    static SettlementCommand parse(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new InvalidCommand("empty record");
        }
        SettlementCommand c;
        try {
            c = Json.read(payload, SettlementCommand.class);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getClass().getSimpleName();
            throw new InvalidCommand("not a SettlementCommand: " + why);
        }
        if (c == null || c.type() == null) {
            throw new InvalidCommand("command without type");
        }
        switch (c.type()) {
            case PREVIEW, SETTLE -> {
                SettlementRequest r = c.settlement();
                if (r == null || blank(r.msgId()) || blank(r.pharmacyCode()) || r.occurredAt() == null
                        || r.lines() == null || r.lines().isEmpty() || r.lines().stream().anyMatch(java.util.Objects::isNull)) {
                    throw new InvalidCommand(c.type() + " command " + c.commandId() + " without msgId, pharmacyCode, occurredAt or lines");
                }
            }
            case CANCEL -> {
                if (c.cancel() == null || blank(c.cancel().setlId()) || blank(c.cancel().pharmacyCode())) {
                    throw new InvalidCommand("CANCEL command " + c.commandId() + " without setlId or pharmacyCode");
                }
            }
            case REVERSE -> {
                if (c.reversal() == null || blank(c.reversal().originalMsgId()) || blank(c.reversal().pharmacyCode())) {
                    throw new InvalidCommand("REVERSE command " + c.commandId() + " without originalMsgId or pharmacyCode");
                }
            }
            default -> throw new InvalidCommand("unknown command type " + c.type());
        }
        return c;
    }

    /** CLM-01: the gateway's SHA-256 of the body; for a command without one, the hash of its canonical JSON. */
    static String bodyHash(SettlementCommand c) {
        if (!blank(c.bodyHash())) {
            return c.bodyHash();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(c.settlement()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
