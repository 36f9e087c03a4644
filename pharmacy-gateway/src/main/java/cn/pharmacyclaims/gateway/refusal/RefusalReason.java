package cn.pharmacyclaims.gateway.refusal;

/**
 * Why the gateway refused a POS call before it reached Kafka (SEC-01, POS-API.md "Protocol
 * errors"). Each reason is its own problem {@code code}, so a POS integrator can tell a clock
 * problem from a key problem, and each is counted separately ({@code pc.gateway.refusals}).
 */
public enum RefusalReason {
    STARTING(503, "Service starting", "SERVICE_STARTING"),
    OVERLOADED(503, "Overloaded", "OVERLOADED"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", "UNSUPPORTED_MEDIA_TYPE"),
    BODY_TOO_LARGE(413, "Request body too large", "BODY_TOO_LARGE"),
    MISSING_HEADERS(401, "Unauthenticated", "SIGNATURE_HEADERS_MISSING"),
    UNKNOWN_TERMINAL(401, "Unauthenticated", "TERMINAL_UNKNOWN"),
    REVOKED_TERMINAL(401, "Unauthenticated", "TERMINAL_REVOKED"),
    BAD_TIMESTAMP(401, "Unauthenticated", "TIMESTAMP_INVALID"),
    STALE_TIMESTAMP(401, "Unauthenticated", "TIMESTAMP_OUT_OF_WINDOW"),
    BAD_SIGNATURE(401, "Unauthenticated", "SIGNATURE_INVALID"),
    BAD_NONCE(401, "Unauthenticated", "NONCE_INVALID"),
    REPLAYED_NONCE(401, "Unauthenticated", "NONCE_REPLAYED"),
    FOREIGN_PHARMACY(403, "Forbidden", "TERMINAL_PHARMACY_MISMATCH"),
    RATE_LIMITED(429, "Too many requests", "RATE_LIMITED"),
    MALFORMED(400, "Invalid request", "INVALID_REQUEST"),
    /** The nonce could not be recorded (gateway database down): nothing was checked for replay. */
    NONCE_STORE_UNAVAILABLE(503, "Service unavailable", "NONCE_STORE_UNAVAILABLE"),
    /** Kafka or settlement's query API could not be reached: nothing was decided, retry later. */
    SETTLEMENT_UNAVAILABLE(503, "Settlement unavailable", "SETTLEMENT_UNAVAILABLE"),
    /** Settlement's query API answered something the gateway does not pass through. */
    UPSTREAM_ERROR(502, "Bad gateway", "UPSTREAM_ERROR");

    private final int status;
    private final String title;
    private final String code;

    RefusalReason(int status, String title, String code) {
        this.status = status;
        this.title = title;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String code() {
        return code;
    }

    /** Tag value of {@code pc.gateway.refusals{reason=...}}. */
    public String metricReason() {
        return name().toLowerCase();
    }

    /** Tag value of {@code pc.gateway.requests{outcome=...}}. */
    public String outcome() {
        return switch (this) {
            case SETTLEMENT_UNAVAILABLE -> "settlement_unavailable";
            case UPSTREAM_ERROR -> "upstream_error";
            default -> "refused_" + status;
        };
    }
}
