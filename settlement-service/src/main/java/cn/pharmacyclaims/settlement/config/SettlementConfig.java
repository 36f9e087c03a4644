package cn.pharmacyclaims.settlement.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.ZoneId;

/** Everything tunable in settlement-service (prefix {@code pc.settlement}). */
@ConfigMapping(prefix = "pc.settlement")
public interface SettlementConfig {

    /** Where answers to commands go; every gateway instance reads it and keeps its own replies. */
    @WithDefault("gateway.replies")
    String replyTopic();

    /** The public decision stream (POS-API.md §3), written through the outbox. */
    @WithDefault("claims.settlement-decisions")
    String decisionTopic();

    /** Dates of the rulebook are Beijing-time calendar dates (sale date, CLM-14 "day of sale"). */
    @WithDefault("Asia/Shanghai")
    ZoneId zone();

    /**
     * Parallel consumers of {@code claims.settlement-requests} in one instance; each one owns some
     * partitions and processes them in order. Wired into the channel's {@code concurrency} attribute.
     */
    @WithDefault("4")
    int consumerConcurrency();

    Retry retry();

    /**
     * A command whose transaction fails on a transient database error (serialization, deadlock,
     * lost connection, a unique-key race) is retried in place, never acknowledged before it commits.
     */
    interface Retry {
        @WithDefault("50ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** Attempts for any other failure before the record goes to the dead-letter topic. */
        @WithDefault("3")
        int maxAttemptsOnOtherFailures();
    }
}
