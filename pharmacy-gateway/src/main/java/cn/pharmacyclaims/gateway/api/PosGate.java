package cn.pharmacyclaims.gateway.api;

import cn.pharmacyclaims.gateway.config.GatewayConfig;
import cn.pharmacyclaims.gateway.health.GatewayState;
import cn.pharmacyclaims.gateway.metrics.GatewayMetrics;
import cn.pharmacyclaims.gateway.ratelimit.InFlightLimiter;
import cn.pharmacyclaims.gateway.ratelimit.TerminalRateLimiter;
import cn.pharmacyclaims.gateway.refusal.Refusal;
import cn.pharmacyclaims.gateway.refusal.RefusalReason;
import cn.pharmacyclaims.gateway.signature.NonceStore;
import cn.pharmacyclaims.gateway.signature.RequestAuthenticator;
import cn.pharmacyclaims.gateway.terminal.Terminal;
import cn.pharmacyclaims.gateway.validation.PosJson;
import cn.pharmacyclaims.platform.web.Problem;
import cn.pharmacyclaims.platform.web.ProblemMappers;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.function.Function;

/**
 * The door every POS call goes through (SEC-01, POS-API.md "Protocol errors"), in this order and
 * before anything reaches Kafka:
 * <ol>
 * <li>503 while this instance is starting, or when too many calls are in flight (load shedding
 * comes first: it must stay cheap when everything else is slow);</li>
 * <li>415 a POST whose Content-Type is not application/json;</li>
 * <li>413 a body over the configured size (64 KiB);</li>
 * <li>401 missing headers, unknown or revoked terminal, timestamp unparseable or off by more than
 * the skew window, bad signature, malformed nonce, then a nonce already seen by any instance;</li>
 * <li>403 a body acting for a pharmacy the terminal is not registered to;</li>
 * <li>429 the terminal over its rate;</li>
 * <li>400 a malformed body, every bad field named (in the operation's own step).</li>
 * </ol>
 * Then the operation runs with the authenticated terminal and the parsed body.
 */
@Singleton
public class PosGate {
    private static final Logger LOG = Logger.getLogger(PosGate.class);
    private static final String JSON_UTF8 = "application/json; charset=utf-8";

    /** What an admitted call does next: validate (400), then produce or forward. {@code bodyHash}: hex(SHA-256(body)). */
    public record Admitted(Terminal terminal, PosJson.Parsed body, String bodyHash) {
    }

    private final GatewayState readiness;
    private final InFlightLimiter inFlight;
    private final RequestAuthenticator authenticator;
    private final NonceStore nonces;
    private final TerminalRateLimiter rates;
    private final GatewayMetrics metrics;
    private final int maxBodyBytes;
    private final int retryAfterSeconds;

    public PosGate(GatewayState readiness, InFlightLimiter inFlight, RequestAuthenticator authenticator,
                   NonceStore nonces, TerminalRateLimiter rates, GatewayMetrics metrics, GatewayConfig config) {
        this.readiness = readiness;
        this.inFlight = inFlight;
        this.authenticator = authenticator;
        this.nonces = nonces;
        this.rates = rates;
        this.metrics = metrics;
        this.maxBodyBytes = config.maxBodyBytes();
        this.retryAfterSeconds = config.retryAfterSeconds();
    }

    public Uni<Response> handle(PosOperation op, PosCall call, Function<Admitted, Uni<Answer>> next) {
        Timer.Sample sample = metrics.start();
        Uni<Answer> answer = Uni.createFrom().deferred(() -> {
            if (!readiness.ready()) {
                throw Refusal.retryLater(RefusalReason.STARTING, "the gateway is starting; retry shortly", retryAfterSeconds);
            }
            if (!inFlight.tryAcquire()) {
                throw Refusal.retryLater(RefusalReason.OVERLOADED, "too many requests in progress; retry shortly", retryAfterSeconds);
            }
            return Uni.createFrom().deferred(() -> admit(op, call).chain(a -> next.apply(a)))
                    .onTermination().invoke(inFlight::release);
        });
        return answer.onItemOrFailure().transform((a, failure) -> {
            if (failure == null) {
                metrics.record(sample, op, a.outcome());
                return a.response();
            }
            if (failure instanceof Refusal r) {
                metrics.refused(r.reason());
                metrics.record(sample, op, r.reason().outcome());
                logRefusal(op, call, r);
                return r.response(call.path());
            }
            LOG.errorf(failure, "%s %s failed", op.tag(), call.path());
            metrics.record(sample, op, "error");
            return ProblemMappers.response(new Problem("about:blank", "Internal error", 500,
                    "the request could not be processed", call.path(), "INTERNAL_ERROR", null));
        });
    }

    private Uni<Admitted> admit(PosOperation op, PosCall call) {
        if (op.post()) {
            checkContentType(op, call);
            if (call.body().length > maxBodyBytes) {
                throw Refusal.of(RefusalReason.BODY_TOO_LARGE,
                        "the body has " + call.body().length + " bytes; at most " + maxBodyBytes + " are accepted");
            }
        }
        RequestAuthenticator.Authenticated authenticated = authenticator.verify(call.signed());
        Terminal terminal = authenticated.terminal();
        return nonces.firstUse(terminal.terminalId(), call.nonce())
                .onFailure().transform(e -> {
                    LOG.warnf("nonce store unavailable: %s", e.toString());
                    return Refusal.retryLater(RefusalReason.NONCE_STORE_UNAVAILABLE,
                            "the request cannot be checked for replay right now; retry with a new nonce", retryAfterSeconds);
                })
                .map(first -> {
                    if (!first) {
                        throw Refusal.of(RefusalReason.REPLAYED_NONCE, "X-Nonce was already used by this terminal");
                    }
                    PosJson.Parsed body = op.post() ? PosJson.parse(call.body()) : new PosJson.Parsed(null, null);
                    String claimed = op.bodyPharmacy(body);
                    if (claimed != null && !claimed.equals(terminal.pharmacyCode())) {
                        // SEC-01 / CLM-02: a terminal settles only for the pharmacy it is registered to
                        throw Refusal.of(RefusalReason.FOREIGN_PHARMACY,
                                "terminal " + terminal.terminalId() + " is not registered to pharmacy " + claimed);
                    }
                    long wait = rates.retryAfterSeconds(terminal.terminalId());
                    if (wait > 0) {
                        throw Refusal.retryLater(RefusalReason.RATE_LIMITED, "terminal over its request rate", (int) wait);
                    }
                    return new Admitted(terminal, body, authenticated.bodyHash());
                });
    }

    private static void checkContentType(PosOperation op, PosCall call) {
        if (!op.bodyRequired() && call.body().length == 0) {
            return;   // a cancel without a body: whatever type an HTTP client put on nothing, there is nothing to parse
        }
        String ct = call.contentType();
        if (ct != null && (ct.equalsIgnoreCase(MediaType.APPLICATION_JSON) || ct.equalsIgnoreCase(JSON_UTF8))) {
            return;   // what POS terminals send: no need to parse it
        }
        if (ct == null || ct.isBlank()) {
            throw Refusal.of(RefusalReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        MediaType type;
        try {
            type = MediaType.valueOf(ct);
        } catch (IllegalArgumentException e) {
            throw Refusal.of(RefusalReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        if (!"application".equalsIgnoreCase(type.getType()) || !"json".equalsIgnoreCase(type.getSubtype())) {
            throw Refusal.of(RefusalReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, not " + type);
        }
    }

    private static void logRefusal(PosOperation op, PosCall call, Refusal r) {
        int status = r.reason().status();
        if (status == 401 || status == 403) {
            LOG.infof("refused %s %s from terminal %s: %s", op.tag(), call.path(), call.terminalForLog(), r.reason().code());
        } else {
            LOG.debugf("refused %s %s from terminal %s: %s", op.tag(), call.path(), call.terminalForLog(), r.reason().code());
        }
    }
}
