package cn.pharmacyclaims.gateway.terminal;

import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.security.SecretCipher;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalRegistryTest {
    private final SecretCipher cipher = new SecretCipher("unit-test-terminal-secret-key");
    private final TerminalRegistry registry = new TerminalRegistry(cipher);

    private TerminalChanged event(String pharmacy, TerminalChanged.Status status, String secret, long version) {
        return new TerminalChanged("T-1", pharmacy, status, secret == null ? null : cipher.encrypt(secret), version,
                OffsetDateTime.now());
    }

    @Test
    void sec01_holdsTheDecryptedSecretOfTheLatestVersion() {
        registry.apply("T-1", event("P44010500001", TerminalChanged.Status.ACTIVE, "first", 1));
        registry.apply("T-1", event("P44010500002", TerminalChanged.Status.ACTIVE, "second", 2));
        Terminal t = registry.find("T-1").orElseThrow();
        assertThat(t.secret()).isEqualTo("second");
        assertThat(t.pharmacyCode()).isEqualTo("P44010500002");
        assertThat(t.toString()).doesNotContain("second");
    }

    @Test
    void sec01_anOlderVersionNeverResurrectsARevokedTerminal() {
        registry.apply("T-1", event("P44010500001", TerminalChanged.Status.REVOKED, null, 3));
        assertThat(registry.apply("T-1", event("P44010500001", TerminalChanged.Status.ACTIVE, "old", 2))).isFalse();
        assertThat(registry.find("T-1").orElseThrow().active()).isFalse();
    }

    @Test
    void sec01_aTombstoneRemovesTheTerminal() {
        registry.apply("T-1", event("P44010500001", TerminalChanged.Status.ACTIVE, "s", 1));
        assertThat(registry.apply("T-1", null)).isTrue();
        assertThat(registry.find("T-1")).isEmpty();
    }
}
