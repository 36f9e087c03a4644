package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.common.events.CommandType;
import cn.pharmacyclaims.gateway.validation.MsgIds;
import cn.pharmacyclaims.gateway.validation.PosJson;

/** The POS calls the gateway serves (POS-API.md §1). */
public enum PosOperation {
    PREVIEW("preview", CommandType.PREVIEW, true),
    SETTLE("settle", CommandType.SETTLE, true),
    CANCEL("cancel", CommandType.CANCEL, false),
    REVERSE("reverse", CommandType.REVERSE, true),
    GET_BY_SETL_ID("get", null, false),
    GET_BY_MSG_ID("query", null, false);

    private final String tag;
    private final CommandType commandType;
    private final boolean bodyRequired;

    PosOperation(String tag, CommandType commandType, boolean bodyRequired) {
        this.tag = tag;
        this.commandType = commandType;
        this.bodyRequired = bodyRequired;
    }

    public String tag() {
        return tag;
    }

    public CommandType commandType() {
        return commandType;
    }

    /** POSTs carry JSON (415 otherwise); a cancel may come without a body. */
    public boolean post() {
        return commandType != null;
    }

    public boolean bodyRequired() {
        return bodyRequired;
    }

    /**
     * The pharmacy a body acts for, to check against the terminal's registration (SEC-01, 403):
     * the purchase's {@code pharmacyCode}, or the pharmacy of the purchase a reversal targets.
     * Null when the body names none (a cancel acts for the terminal's own pharmacy) or is malformed
     * (then the 400 check names the problem).
     */
    public String bodyPharmacy(PosJson.Parsed body) {
        return switch (this) {
            case PREVIEW, SETTLE -> body.text("pharmacyCode");
            case REVERSE -> MsgIds.pharmacyOf(body.text("originalMsgId"));
            default -> null;
        };
    }
}
