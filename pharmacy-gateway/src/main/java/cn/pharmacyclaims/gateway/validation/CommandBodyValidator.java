package cn.pharmacyclaims.gateway.validation;

import cn.pharmacyclaims.platform.web.Problem;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The small bodies: cancel (CLM-14) and reversal (CLM-15), and the ids a POS puts in a path or
 * query. Their pharmacy is the one the signing terminal is registered to, so every msgId must
 * start with that pharmacy's code.
 */
public final class CommandBodyValidator {
    private static final Pattern SETL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** POST /api/v1/settlements/{setlId}/cancel: optional body {"msgId", "operatorId"}. */
    public List<Problem.FieldError> cancel(String setlId, PosJson.Parsed body, String pharmacyCode) {
        FieldChecks c = new FieldChecks();
        setlId(c, setlId);
        if (body.error() != null) {
            c.add("$", body.error());
        } else if (!body.empty()) {
            JsonNode node = body.node();
            if (!node.isObject()) {
                c.add("$", "the body must be a JSON object");
            } else {
                ownMsgId(c, c.text(node, "", "msgId", false), "msgId", pharmacyCode);
                c.text(node, "", "operatorId", false);
            }
        }
        return c.errors();
    }

    /** POST /api/v1/reversals: {"msgId", "originalMsgId"}. */
    public List<Problem.FieldError> reversal(PosJson.Parsed body, String pharmacyCode) {
        FieldChecks c = new FieldChecks();
        if (body.error() != null || body.empty() || !body.node().isObject()) {
            c.add("$", body.error() != null ? body.error() : "the body must be a JSON object");
            return c.errors();
        }
        JsonNode node = body.node();
        String msgId = c.text(node, "", "msgId", true);
        ownMsgId(c, msgId, "msgId", pharmacyCode);
        String original = c.text(node, "", "originalMsgId", true);
        ownMsgId(c, original, "originalMsgId", pharmacyCode);
        if (msgId != null && msgId.equals(original)) {
            c.add("msgId", "must differ from originalMsgId: a reversal is a message of its own");
        }
        return c.errors();
    }

    /** GET /api/v1/settlements/{setlId}. */
    public List<Problem.FieldError> setlId(String setlId) {
        FieldChecks c = new FieldChecks();
        setlId(c, setlId);
        return c.errors();
    }

    /** GET /api/v1/settlements?msgId=... */
    public List<Problem.FieldError> queryMsgId(String msgId) {
        FieldChecks c = new FieldChecks();
        if (msgId == null || msgId.isBlank()) {
            c.add("msgId", "is required");
        } else {
            MsgIds.problem(msgId).ifPresent(m -> c.add("msgId", m));
        }
        return c.errors();
    }

    private static void setlId(FieldChecks c, String setlId) {
        if (setlId == null || !SETL_ID.matcher(setlId).matches()) {
            c.add("setlId", "must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }

    private static void ownMsgId(FieldChecks c, String msgId, String field, String pharmacyCode) {
        if (msgId == null) {
            return;
        }
        var bad = MsgIds.problem(msgId);
        if (bad.isPresent()) {
            c.add(field, bad.get());
        } else if (pharmacyCode != null && !msgId.startsWith(pharmacyCode)) {
            c.add(field, "must start with the terminal's pharmacy code " + pharmacyCode);
        }
    }
}
