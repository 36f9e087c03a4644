package cn.pharmacyclaims.gateway.terminal;

import cn.pharmacyclaims.common.events.TerminalChanged;

/**
 * A POS terminal as the gateway knows it (SEC-01): the pharmacy it is registered to, whether it
 * may sign, and its HMAC secret in clear (memory only; it travels encrypted). {@code secret} is
 * null when the published ciphertext could not be decrypted: such a terminal cannot sign.
 */
public record Terminal(String terminalId, String pharmacyCode, TerminalChanged.Status status, String secret,
                       long version) {

    public boolean active() {
        return status == TerminalChanged.Status.ACTIVE;
    }

    public boolean canSign() {
        return active() && secret != null;
    }

    /** Never print the secret. */
    @Override
    public String toString() {
        return "Terminal[" + terminalId + ", " + pharmacyCode + ", " + status + ", v" + version + "]";
    }
}
