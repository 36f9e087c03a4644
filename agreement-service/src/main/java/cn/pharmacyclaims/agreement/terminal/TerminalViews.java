package cn.pharmacyclaims.agreement.terminal;

import cn.pharmacyclaims.common.events.TerminalChanged;

import java.time.OffsetDateTime;

/** Answers of the terminal API. */
public final class TerminalViews {
    private TerminalViews() {
    }

    /** {@code terminalId} optional: generated when absent. */
    public record RegisterRequest(String terminalId) {
    }

    public record RevokeRequest(String reason) {
    }

    /** The only place the clear secret ever appears (POS-API.md section 4: shown only here). */
    public record IssuedSecret(String terminalId, String secret) {
    }

    /** A terminal as listed: never its secret. */
    public record TerminalView(String terminalId, String pharmacyCode, TerminalChanged.Status status, long version,
                               OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        static TerminalView of(Terminal t) {
            return new TerminalView(t.terminalId(), t.pharmacyCode(), t.status(), t.version(), t.createdAt(), t.updatedAt());
        }
    }
}
