-- SEC-01 replay protection: every nonce a terminal used within the last two skew windows.
-- The primary key is the guard: INSERT ... ON CONFLICT DO NOTHING inserts 0 rows for a replay,
-- whichever gateway instance saw the nonce first.
CREATE TABLE seen_nonce (
    terminal_id text        NOT NULL,
    nonce       text        NOT NULL,
    seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (terminal_id, nonce)
);

-- the scheduled purge deletes by age
CREATE INDEX seen_nonce_seen_at ON seen_nonce (seen_at);
