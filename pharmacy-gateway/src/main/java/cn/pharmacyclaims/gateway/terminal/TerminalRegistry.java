package cn.pharmacyclaims.gateway.terminal;

import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.security.SecretCipher;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * SEC-01: every terminal and the pharmacy it is registered to, built from the compacted
 * {@code agreement.terminals} topic. Lives in memory: the topic is the source of truth, and each
 * instance reads it from the beginning at start. An event older than the one held is ignored,
 * so a late redelivery never resurrects a revoked terminal or an old secret.
 */
@Singleton
public class TerminalRegistry {
    private static final Logger LOG = Logger.getLogger(TerminalRegistry.class);

    private final SecretCipher cipher;
    private final ConcurrentMap<String, Terminal> terminals = new ConcurrentHashMap<>();

    @Inject
    public TerminalRegistry(@ConfigProperty(name = "pc.terminal-secret-key",
            defaultValue = "dev-terminal-secret-key-change-me") String secretKey) {
        this(new SecretCipher(secretKey));
    }

    public TerminalRegistry(SecretCipher cipher) {
        this.cipher = cipher;
    }

    public Optional<Terminal> find(String terminalId) {
        return terminalId == null ? Optional.empty() : Optional.ofNullable(terminals.get(terminalId));
    }

    public int size() {
        return terminals.size();
    }

    /**
     * Applies one record of the topic: {@code event} null is a tombstone (the terminal is gone).
     * Answers whether the registry changed.
     */
    public boolean apply(String terminalId, TerminalChanged event) {
        if (event == null) {
            return terminalId != null && terminals.remove(terminalId) != null;
        }
        boolean[] changed = {false};
        terminals.compute(event.terminalId(), (id, current) -> {
            if (current != null && event.version() < current.version()) {
                return current;
            }
            changed[0] = true;
            return new Terminal(id, event.pharmacyCode(), event.status(), secretOf(event), event.version());
        });
        return changed[0];
    }

    private String secretOf(TerminalChanged event) {
        if (event.status() != TerminalChanged.Status.ACTIVE || event.secretCiphertext() == null) {
            return null;
        }
        try {
            return cipher.decrypt(event.secretCiphertext());
        } catch (RuntimeException e) {
            // a wrong pc.terminal-secret-key: the terminal stays unable to sign rather than keep an old secret
            LOG.errorf("terminal %s v%d: secret cannot be decrypted (%s); it cannot sign until fixed",
                    event.terminalId(), event.version(), e.getMessage());
            return null;
        }
    }
}
