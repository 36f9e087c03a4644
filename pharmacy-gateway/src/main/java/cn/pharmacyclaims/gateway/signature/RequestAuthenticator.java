package cn.pharmacyclaims.gateway.signature;

import cn.pharmacyclaims.common.security.PosSignature;
import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import cn.pharmacyclaims.gateway.terminal.Terminal;
import cn.pharmacyclaims.gateway.terminal.TerminalRegistry;
import cn.pharmacyclaims.gateway.validation.IsoDateTimes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * SEC-01, the part that needs no database: headers present, terminal known and active, timestamp
 * within the skew window, HMAC valid (constant-time), nonce well-formed. Checks run in this order
 * and stop at the first failure. Whether the nonce was already seen is {@link NonceStore}'s job,
 * after this (a forged request must not be able to burn a genuine terminal's nonce).
 */
@Singleton
public class RequestAuthenticator {
    private final TerminalRegistry terminals;
    private final Clock clock;
    private final Duration skew;
    private final int minNonce;
    private final int maxNonce;

    @Inject
    public RequestAuthenticator(TerminalRegistry terminals, Clock clock, GatewayConfig config) {
        this(terminals, clock, config.clockSkew(), config.nonce().minLength(), config.nonce().maxLength());
    }

    public RequestAuthenticator(TerminalRegistry terminals, Clock clock, Duration skew, int minNonce, int maxNonce) {
        this.terminals = terminals;
        this.clock = clock;
        this.skew = skew;
        this.minNonce = minNonce;
        this.maxNonce = maxNonce;
    }

    /** The terminal that signed the request and the body's hash, or a 401 {@link Refusal} saying precisely why not. */
    public record Authenticated(Terminal terminal, String bodyHash) {
    }

    /** The terminal that signed the request, or a 401 {@link Refusal} saying precisely why not. */
    public Terminal authenticate(SignedRequest r) {
        return verify(r).terminal();
    }

    /** As {@link #authenticate}, also giving hex(SHA-256(body)), computed once for the signature and the command. */
    public Authenticated verify(SignedRequest r) {
        List<String> missing = new ArrayList<>(4);
        addIfBlank(missing, PosSignature.HEADER_TERMINAL, r.terminalId());
        addIfBlank(missing, PosSignature.HEADER_TIMESTAMP, r.timestamp());
        addIfBlank(missing, PosSignature.HEADER_NONCE, r.nonce());
        addIfBlank(missing, PosSignature.HEADER_SIGNATURE, r.signature());
        if (!missing.isEmpty()) {
            throw Refusal.of(RefusalReason.MISSING_HEADERS, "missing signature header(s): " + String.join(", ", missing));
        }
        Terminal terminal = terminals.find(r.terminalId())
                .orElseThrow(() -> Refusal.of(RefusalReason.UNKNOWN_TERMINAL, "terminal is not registered"));
        if (!terminal.active()) {
            throw Refusal.of(RefusalReason.REVOKED_TERMINAL, "terminal is revoked");
        }
        if (!terminal.canSign()) {
            throw Refusal.of(RefusalReason.UNKNOWN_TERMINAL, "terminal has no usable secret");
        }
        Instant sent;
        try {
            sent = IsoDateTimes.parseOffsetDateTime(r.timestamp()).toInstant();
        } catch (DateTimeParseException e) {
            throw Refusal.of(RefusalReason.BAD_TIMESTAMP, "X-Timestamp must be ISO-8601 with offset, e.g. 2026-11-23T10:15:00+08:00");
        }
        Duration off = Duration.between(sent, clock.instant()).abs();
        if (off.compareTo(skew) > 0) {
            throw Refusal.of(RefusalReason.STALE_TIMESTAMP,
                    "X-Timestamp is " + off.toSeconds() + " s from the gateway's clock; at most " + skew.toSeconds() + " s allowed");
        }
        String bodyHash = PosSignature.sha256Hex(r.body());
        if (!PosSignature.verifyHashed(terminal.secret(), r.method(), r.path(), r.timestamp(), r.nonce(), bodyHash, r.signature())) {
            throw Refusal.of(RefusalReason.BAD_SIGNATURE, "X-Signature does not match the request");
        }
        if (r.nonce().length() < minNonce || r.nonce().length() > maxNonce) {
            throw Refusal.of(RefusalReason.BAD_NONCE,
                    "X-Nonce must be " + minNonce + " to " + maxNonce + " characters");
        }
        return new Authenticated(terminal, bodyHash);
    }

    private static void addIfBlank(List<String> missing, String header, String value) {
        if (value == null || value.isBlank()) {
            missing.add(header);
        }
    }
}
