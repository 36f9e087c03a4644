package cn.pharmacyclaims.platform.outbox;

/** One event waiting in the outbox: where it goes, its key, its id (for consumer dedupe) and JSON payload. */
public record OutboxMessage(String eventId, String topic, String key, String payload) {
}
