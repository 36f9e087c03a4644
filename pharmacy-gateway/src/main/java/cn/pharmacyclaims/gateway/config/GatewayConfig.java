package cn.pharmacyclaims.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Every threshold of the POS door (SEC-01, POS-API.md §1), one typed place. */
@ConfigMapping(prefix = "pc.gateway")
public interface GatewayConfig {

    /** Address of this instance on {@code gateway.replies}; a random UUID at startup when absent. */
    Optional<String> instanceId();

    /** How long a POS call waits for settlement's reply before it gets 202 PENDING. */
    @WithDefault("3s")
    Duration waitBudget();

    /** POS-API.md §1: body at most 64 KiB (413 above). */
    @WithDefault("65536")
    int maxBodyBytes();

    /** SEC-01: X-Timestamp may be this far from now, either way (401 beyond). */
    @WithDefault("5m")
    Duration clockSkew();

    /** Requests being processed at once by this instance; above it the POS gets 503 with Retry-After. */
    @WithDefault("512")
    int maxInFlight();

    /** Retry-After (seconds) sent with 503 (overloaded, starting, settlement unreachable). */
    @WithDefault("1")
    int retryAfterSeconds();

    Rate rate();

    Nonce nonce();

    Commands commands();

    Replies replies();

    /** Per-terminal token bucket (429). */
    interface Rate {
        /** Tokens added per second. */
        @WithDefault("10")
        double perSecond();

        /** Bucket size: the burst a terminal may send at once. */
        @WithDefault("20")
        int burst();
    }

    interface Nonce {
        /** SEC-01: at least 16 characters. */
        @WithDefault("16")
        int minLength();

        /** Longer nonces are refused: they only cost storage. */
        @WithDefault("128")
        int maxLength();

        /**
         * How often expired nonces are deleted (those older than twice the skew window). Often, so
         * that each purge is small: at 500 requests/s a purge a minute deleted 30,000 rows in one
         * statement and the POS felt it (docs/performance.md, step 38).
         */
        @WithDefault("5s")
        Duration purgeInterval();

        /**
         * At most this many nonces recorded by one statement: the nonces that arrive while a
         * statement is in flight go together in the next one (no waiting when none is in flight).
         */
        @WithDefault("256")
        int maxBatch();
    }

    /** The producer of {@code claims.settlement-requests} (acks=all, idempotent). */
    interface Commands {
        /**
         * Kafka {@code linger.ms}: how long a command may wait for others to share its produce
         * request. Longer means fewer, larger requests (less CPU in the gateway and the broker)
         * and that much more latency on every POS call.
         */
        @WithDefault("1ms")
        Duration linger();
    }

    /** The consumer of {@code gateway.replies}. */
    interface Replies {
        /**
         * Kafka {@code fetch.min.bytes}: the broker answers a fetch once this much is there, or
         * after {@link #fetchMaxWait()}. 1 answers at once (lowest latency); more batches replies
         * into fewer fetches at the price of up to fetchMaxWait on each when traffic is light.
         */
        @WithDefault("1")
        int fetchMinBytes();

        /**
         * Kafka {@code fetch.max.wait.ms}: how long the broker holds a fetch that has less than
         * fetchMinBytes. With fetchMinBytes 1 it only bounds the idle long-poll (no busy loop);
         * keep it well above a few milliseconds unless fetchMinBytes is raised.
         */
        @WithDefault("500ms")
        Duration fetchMaxWait();
    }
}
