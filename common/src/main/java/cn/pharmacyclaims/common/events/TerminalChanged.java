package cn.pharmacyclaims.common.events;

import java.time.OffsetDateTime;

/**
 * SEC-01, on the compacted {@code agreement.terminals} topic, key terminalId. The HMAC secret
 * travels only encrypted ({@code SecretCipher}), never in clear.
 */
public record TerminalChanged(String terminalId, String pharmacyCode, Status status, String secretCiphertext,
                              long version, OffsetDateTime changedAt) {
    public enum Status { ACTIVE, REVOKED }
}
