package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.common.events.TerminalChanged;
import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.common.security.SecretCipher;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import cn.pharmacyclaims.gateway.terminal.Terminal;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestAuthenticatorTest {
    private static final String KEY = "unit-test-terminal-secret-key";
    private static final Instant NOW = Instant.parse("2026-11-23T02:15:00Z");
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String NONCE = "0123456789abcdef";

    private final SecretCipher cipher = new SecretCipher(KEY);
    private final TerminalRegistry registry = new TerminalRegistry(cipher);
    private final RequestAuthenticator authenticator = new RequestAuthenticator(registry,
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5), 16, 128);

    private void register(String id, TerminalChanged.Status status, String secret, long version) {
        registry.apply(id, new TerminalChanged(id, "P44010500001", status, secret == null ? null : cipher.encrypt(secret),
                version, OffsetDateTime.now()));
    }

    private static SignedRequest signed(String terminal, String secret, String ts, String nonce) {
        String sig = PosSignature.sign(secret, "POST", "/api/v1/settlements", ts, nonce, BODY);
        return new SignedRequest("POST", "/api/v1/settlements", terminal, ts, nonce, sig, BODY);
    }

    private static String ts(Duration offset) {
        return OffsetDateTime.ofInstant(NOW.plus(offset), ZoneOffset.ofHours(8)).toString();
    }

    private RefusalReason refusal(SignedRequest r) {
        try {
            authenticator.authenticate(r);
        } catch (Refusal e) {
            return e.reason();
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void sec01_aCorrectlySignedRequestNamesItsTerminal() {
        register("T-1", TerminalChanged.Status.ACTIVE, "s3cret", 1);
        Terminal t = authenticator.authenticate(signed("T-1", "s3cret", ts(Duration.ZERO), NONCE));
        assertThat(t.pharmacyCode()).isEqualTo("P44010500001");
    }

    @Test
    void sec01_missingHeadersAreNamed() {
        SignedRequest r = new SignedRequest("POST", "/api/v1/settlements", "T-1", null, " ", null, BODY);
        assertThatThrownBy(() -> authenticator.authenticate(r))
                .isInstanceOf(Refusal.class)
                .hasMessageContaining("X-Timestamp").hasMessageContaining("X-Nonce").hasMessageContaining("X-Signature")
                .hasMessageNotContaining("X-Terminal-Id");
    }

    @Test
    void sec01_unknownAndRevokedTerminalsAreRefused() {
        assertThat(refusal(signed("T-none", "x", ts(Duration.ZERO), NONCE))).isEqualTo(RefusalReason.UNKNOWN_TERMINAL);
        register("T-2", TerminalChanged.Status.ACTIVE, "s3cret", 1);
        register("T-2", TerminalChanged.Status.REVOKED, null, 2);
        assertThat(refusal(signed("T-2", "s3cret", ts(Duration.ZERO), NONCE))).isEqualTo(RefusalReason.REVOKED_TERMINAL);
    }

    @Test
    void sec01_timestampMustParseAndBeWithinFiveMinutesEitherWay() {
        register("T-3", TerminalChanged.Status.ACTIVE, "s3cret", 1);
        assertThat(refusal(signed("T-3", "s3cret", "yesterday", NONCE))).isEqualTo(RefusalReason.BAD_TIMESTAMP);
        assertThat(refusal(signed("T-3", "s3cret", "2026-11-23T10:15:00", NONCE))).isEqualTo(RefusalReason.BAD_TIMESTAMP);
        assertThat(refusal(signed("T-3", "s3cret", ts(Duration.ofMinutes(-6)), NONCE))).isEqualTo(RefusalReason.STALE_TIMESTAMP);
        assertThat(refusal(signed("T-3", "s3cret", ts(Duration.ofMinutes(6)), NONCE))).isEqualTo(RefusalReason.STALE_TIMESTAMP);
        authenticator.authenticate(signed("T-3", "s3cret", ts(Duration.ofMinutes(-5)), NONCE));
        authenticator.authenticate(signed("T-3", "s3cret", ts(Duration.ofSeconds(299)), NONCE));
    }

    @Test
    void sec01_wrongSecretOrTamperedBodyIsABadSignature() {
        register("T-4", TerminalChanged.Status.ACTIVE, "s3cret", 1);
        assertThat(refusal(signed("T-4", "guess", ts(Duration.ZERO), NONCE))).isEqualTo(RefusalReason.BAD_SIGNATURE);
        SignedRequest good = signed("T-4", "s3cret", ts(Duration.ZERO), NONCE);
        SignedRequest tampered = new SignedRequest(good.method(), good.path(), good.terminalId(), good.timestamp(),
                good.nonce(), good.signature(), "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(tampered)).isEqualTo(RefusalReason.BAD_SIGNATURE);
    }

    @Test
    void sec01_nonceShorterThan16CharactersIsRefused() {
        register("T-5", TerminalChanged.Status.ACTIVE, "s3cret", 1);
        assertThat(refusal(signed("T-5", "s3cret", ts(Duration.ZERO), "0123456789abcde"))).isEqualTo(RefusalReason.BAD_NONCE);
        assertThat(refusal(signed("T-5", "s3cret", ts(Duration.ZERO), "n".repeat(129)))).isEqualTo(RefusalReason.BAD_NONCE);
    }

    @Test
    void sec01_aTerminalWhoseSecretCannotBeDecryptedCannotSign() {
        SecretCipher otherKey = new SecretCipher("another-key-not-the-gateway-one");
        registry.apply("T-6", new TerminalChanged("T-6", "P44010500001", TerminalChanged.Status.ACTIVE,
                otherKey.encrypt("s3cret"), 1, OffsetDateTime.now()));
        assertThat(refusal(signed("T-6", "s3cret", ts(Duration.ZERO), NONCE))).isEqualTo(RefusalReason.UNKNOWN_TERMINAL);
    }
}
