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
     * partitions and processes them in order (one {@code BatchLoop} each, {@code CommandConsumers}).
     * One by default: two loops in one instance doubled the time of each group commit on two cores
     * (docs/performance.md, step 33); more throughput comes from more instances.
     */
    @WithDefault("1")
    int consumerConcurrency();

    /**
     * Most commands one consumer takes in a poll, which it processes as one batch before it polls
     * again (Kafka's {@code max.poll.records}).
     */
    @WithDefault("500")
    int maxPollRecords();

    /**
     * When a poll returns only commands sent before it began (the answer to a fetch made during
     * the batch before, which the broker gives at the first command that arrives), the consumer
     * polls once more, waiting at most this long, and takes what else arrived during that batch
     * into this one, where it would have waited for a whole batch more (docs/performance.md, step
     * 36). 0 turns it off.
     */
    @WithDefault("3ms")
    Duration topUpWait();

    /**
     * Within one consumer's polled batch, how many persons' commands run at the same time (each
     * person's in order). Consumers × this stays below the connection pool's size.
     */
    @WithDefault("8")
    int batchParallelism();

    Retry retry();

    GroupCommit groupCommit();

    /**
     * Group commit: the SETTLEs of a polled batch that belong to different persons are settled in
     * one transaction, up to this many at a time (one read pipeline, one write pipeline, one commit
     * for all). Under load the batches grow, so the cost per settlement falls as the rate rises.
     * If a group's transaction fails, its settlements run one by one. 1 turns it off.
     */
    interface GroupCommit {
        @WithDefault("100")
        int maxSettlements();
    }

    Cache cache();

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

    /**
     * A small in-memory cache of hot reference data (the region's policy per sale date, catalogue
     * items), read on every request. Correctness first: only entries that exist are cached (a new
     * item or a region's first policy is seen at once), an import through this instance empties
     * the cache it concerns after its commit, and an import through another instance is seen at
     * most {@code ttl} later. Balances, accumulators, supplies, prescriptions, pharmacy and terminal
     * status are never cached.
     *
     * <p>On by default since the throughput benchmark found the database the busiest process at
     * 500/s (docs/performance.md, step 24: POS p99 134 and 156 ms with it, 149–214 ms without). On
     * one request at a time it makes no difference beyond the noise ("Adjudication latency"): the
     * statements it saves are pipelined with the others.
     */
    interface Cache {
        @WithDefault("true")
        boolean enabled();

        /** How long an entry is used before it is read again: the staleness bound for other instances' imports. */
        @WithDefault("5s")
        Duration ttl();

        /** Entries per cache; a full cache drops its expired entries, then everything, rather than grow. */
        @WithDefault("20000")
        int maxEntries();
    }
}
