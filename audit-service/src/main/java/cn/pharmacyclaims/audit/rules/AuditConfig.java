package cn.pharmacyclaims.audit.rules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Thresholds and windows of the AUD rules. Defaults are DOMAIN.md §5's "default detection"; a
 * pooling region may change them (config, never code constants).
 */
@ConfigMapping(prefix = "pc.audit")
public interface AuditConfig {

    /** Rule IDs switched off, e.g. {@code pc.audit.disabled-rules=AUD-08}. */
    Optional<Set<String>> disabledRules();

    /** AUD-02 card misuse / impersonation. */
    Impersonation impersonation();

    /** AUD-03 split purchases. */
    Splitting splitting();

    /** AUD-05 cashing out. */
    CashOut cashOut();

    /** AUD-07 terminal burst. */
    TerminalBurst terminalBurst();

    /** AUD-08 settling for others. */
    SettlingForOthers settlingForOthers();

    /** AUD-09 many tiny settlements. */
    SmallAmounts smallAmounts();

    Retention retention();

    Intake intake();

    interface Impersonation {
        /** Distinct pharmacies for one person within {@link #window()}. */
        @WithDefault("3")
        int minPharmacies();

        @WithDefault("PT60M")
        Duration window();

        /** Two pharmacies farther apart than this within {@link #distanceWindow()}. */
        @WithDefault("50")
        double maxDistanceKm();

        @WithDefault("PT30M")
        Duration distanceWindow();
    }

    interface Splitting {
        @WithDefault("2")
        int minSettlements();

        @WithDefault("PT30M")
        Duration window();

        /** CLM-07's limit per purchase, as audit applies it. */
        @WithDefault("7")
        int maxDaysSupply();

        /** CLM-07's limit for a line paid under the chronic benefit. */
        @WithDefault("30")
        int maxDaysSupplyChronic();
    }

    interface CashOut {
        @WithDefault("3")
        int minRoundTotals();

        @WithDefault("P30D")
        Duration window();

        /** A total is "round" when it is a positive multiple of this. */
        @WithDefault("50.00")
        BigDecimal roundUnit();

        /** Second pattern: one December purchase paying at least this share of the account balance... */
        @WithDefault("0.90")
        BigDecimal decemberDrainRatio();

        /** ...when the balance before it was at least this. */
        @WithDefault("500.00")
        BigDecimal decemberMinBalance();
    }

    interface TerminalBurst {
        @WithDefault("20")
        int minPersons();

        @WithDefault("PT10M")
        Duration window();
    }

    interface SettlingForOthers {
        /** The day's count must exceed this multiple of the trailing median... */
        @WithDefault("3")
        BigDecimal medianMultiple();

        @WithDefault("28")
        int trailingDays();

        /** ...and be at least this. */
        @WithDefault("50")
        int minDailyCount();

        /** Days of history a pharmacy needs before it is judged. */
        @WithDefault("7")
        int minHistoryDays();
    }

    interface SmallAmounts {
        @WithDefault("5")
        int minSettlements();

        /** "Tiny" means a total strictly below this. */
        @WithDefault("10.00")
        BigDecimal below();
    }

    interface Retention {
        /** Rule state is kept for the longest window plus this margin (late and out-of-order events). */
        @WithDefault("P2D")
        Duration margin();

        /** Daily counts kept for AUD-08, in days beyond its trailing window. */
        @WithDefault("7")
        int dailyCountMarginDays();

        /** How often the purge runs (a scheduler interval such as {@code 1h}). */
        @WithDefault("1h")
        String purgeEvery();
    }

    interface Intake {
        /**
         * Database attempts per batch (transient failures) and per decision (when a batch falls back to
         * one decision per transaction) before the batch fails (the intake runs it again after a pause, readiness DOWN, nothing skipped).
         */
        @WithDefault("8")
        int attempts();

        /**
         * Most decisions applied in one transaction. The consumer's {@code max.poll.records} follows it,
         * so a poll is one batch; a larger poll is split.
         */
        @WithDefault("500")
        int maxBatch();

        /**
         * The broker holds audit's fetch until this many bytes of decisions are there or
         * {@link #fetchMaxWaitMs()} has passed (the consumer's {@code fetch.min.bytes}): audit is off
         * the POS path, so fewer, fuller polls cost less (docs/performance.md, step 21: an option, off).
         */
        @WithDefault("1")
        int fetchMinBytes();

        /** The longest the broker holds audit's fetch for {@link #fetchMinBytes()} (the consumer's {@code fetch.max.wait.ms}). */
        @WithDefault("500")
        int fetchMaxWaitMs();

        /** AUD-07: each terminal's newest marks kept in memory between batches ({@link TerminalTrails}). */
        TerminalTrailsConfig terminalTrails();
    }

    interface TerminalTrailsConfig {
        /** Off: every batch reads its terminals' newest marks from the database (as before step 39). */
        @WithDefault("true")
        boolean enabled();

        /** Marks kept per terminal (AUD-07's threshold of persons and more; older ones are read when a batch needs them). */
        @WithDefault("48")
        int marks();

        /** Terminals kept at most, the least recently used dropped first (about 7 kB each: 48 ids, persons and times). */
        @WithDefault("4000")
        int terminals();

        /** A trail older than this is read again (bounds what a writer nobody foresaw can leave unseen). */
        @WithDefault("PT1M")
        java.time.Duration maxAge();
    }
}
