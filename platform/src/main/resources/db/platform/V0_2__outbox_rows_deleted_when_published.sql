-- The relay deletes a row once the broker has acknowledged its event (OutboxRelay): the table
-- holds only what is still to be sent, so it needs neither the published mark nor the partial
-- index that found unmarked rows (the primary key gives the relay its id order). Rows already
-- published were kept for a day for inspection; the topic is their record.
DROP INDEX outbox_unpublished;
DELETE FROM outbox WHERE published_at IS NOT NULL;
ALTER TABLE outbox DROP COLUMN published_at;
