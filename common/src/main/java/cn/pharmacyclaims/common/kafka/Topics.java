package cn.pharmacyclaims.common.kafka;

import java.util.List;

/**
 * Every Kafka topic of the system, with its key and shape. Topics are created explicitly
 * (never auto-created) from {@link #ALL}, by the local launcher and by the test broker.
 */
public final class Topics {
    private Topics() {
    }

    /** Gateway to settlement: POS commands (preview, settle, cancel, reverse). Key: psnNo (or original msgId for reversals). */
    public static final String SETTLEMENT_REQUESTS = "claims.settlement-requests";
    /** Settlement requests that could not be parsed, with the reason in headers. */
    public static final String SETTLEMENT_REQUESTS_DLQ = "claims.settlement-requests.dlq";
    /** Public: every settlement state change (SETTLED, REJECTED, CANCELLED, REVERSED). Key: psnNo. */
    public static final String SETTLEMENT_DECISIONS = "claims.settlement-decisions";
    /** Settlement to gateway: the answer to one command, addressed to one gateway instance. Key: commandId. */
    public static final String GATEWAY_REPLIES = "gateway.replies";
    /** Agreement service: latest status of every pharmacy (AGR-11). Compacted. Key: pharmacyCode. */
    public static final String PHARMACY_STATUS = "agreement.pharmacy-status";
    /** Agreement service: terminal registry (SEC-01). Compacted. Key: terminalId. */
    public static final String TERMINALS = "agreement.terminals";
    /** Public: violation alerts (AUD rules). Key: pharmacyCode. */
    public static final String VIOLATION_ALERTS = "audit.violation-alerts";
    /** Audit to agreement: sanctions to apply (AUD-21). Key: pharmacyCode. */
    public static final String SANCTIONS = "audit.sanctions";

    /** Agreement service: the statutory calendar years loaded by agency staff (SET-04). Compacted. Key: year. */
    public static final String CALENDAR_YEARS = "agreement.calendar-years";

    /** Partitions of the topics keyed by psnNo: the unit of parallelism of adjudication. */
    public static final int SETTLEMENT_PARTITIONS = 12;

    public record TopicSpec(String name, int partitions, boolean compacted, long retentionMs) {
    }

    private static final long WEEK = 7L * 24 * 3600 * 1000;
    private static final long FOREVER = -1L;

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(SETTLEMENT_REQUESTS, SETTLEMENT_PARTITIONS, false, WEEK),
            new TopicSpec(SETTLEMENT_REQUESTS_DLQ, 1, false, 4 * WEEK),
            new TopicSpec(SETTLEMENT_DECISIONS, SETTLEMENT_PARTITIONS, false, FOREVER),
            new TopicSpec(GATEWAY_REPLIES, SETTLEMENT_PARTITIONS, false, 3600_000L),
            new TopicSpec(PHARMACY_STATUS, 3, true, FOREVER),
            new TopicSpec(TERMINALS, 3, true, FOREVER),
            new TopicSpec(VIOLATION_ALERTS, 6, false, FOREVER),
            new TopicSpec(SANCTIONS, 3, false, FOREVER),
            new TopicSpec(CALENDAR_YEARS, 1, true, FOREVER));
}
