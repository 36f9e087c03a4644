package cn.pharmacyclaims.agreement.terminal;

import cn.pharmacyclaims.common.events.TerminalChanged;

import java.time.OffsetDateTime;

/** A POS terminal registered to one pharmacy (SEC-01). The secret exists here only as ciphertext. */
public record Terminal(String terminalId, String pharmacyCode, TerminalChanged.Status status, String secretCiphertext,
                       long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public TerminalChanged event(OffsetDateTime at) {
        return new TerminalChanged(terminalId, pharmacyCode, status, secretCiphertext, version, at);
    }
}
