-- audit-service schema. The outbox and processed_message tables come from db/platform.

-- Local copy of the pharmacies (agreement.pharmacy-status, AGR-11): location for AUD-02,
-- registered hours for AUD-06. Latest version wins; names are not kept (not needed, AUD-23).
CREATE TABLE pharmacy (
    pharmacy_code  TEXT PRIMARY KEY,
    region_code    TEXT,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    business_hours TEXT,
    status         TEXT,
    version        BIGINT      NOT NULL,
    changed_at     TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Rule state of the windowed rules: live (settled, not cancelled or reversed) settlements by
-- event time, kept for the longest window plus a margin (purged on a schedule).
CREATE TABLE recent_settlement (
    setl_id       TEXT PRIMARY KEY,
    msg_id        TEXT,
    psn_no        TEXT          NOT NULL,
    pharmacy_code TEXT          NOT NULL,
    terminal_id   TEXT,
    region_code   TEXT,
    occurred_at   TIMESTAMPTZ   NOT NULL,
    total         NUMERIC(14,2) NOT NULL,
    items         TEXT          NOT NULL DEFAULT '[]',
    recorded_at   TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX recent_settlement_person ON recent_settlement (psn_no, occurred_at);
CREATE INDEX recent_settlement_terminal ON recent_settlement (terminal_id, occurred_at) WHERE terminal_id IS NOT NULL;
CREATE INDEX recent_settlement_pharmacy ON recent_settlement (pharmacy_code, occurred_at);
CREATE INDEX recent_settlement_msg ON recent_settlement (msg_id);
CREATE INDEX recent_settlement_occurred ON recent_settlement (occurred_at);

-- AUD-08: settled count per pharmacy and Beijing day.
CREATE TABLE pharmacy_daily_count (
    pharmacy_code TEXT    NOT NULL,
    day           DATE    NOT NULL,
    settled       INTEGER NOT NULL,
    PRIMARY KEY (pharmacy_code, day)
);

-- Violation alerts (POS-API.md §2). dedupe_key = rule + subject + window: one pattern in one window
-- gives one alert however often it is seen (DOMAIN.md §5). Subjects carry psnNo, never names or
-- ID-card numbers (AUD-23). amount and window_* follow the settlements appended since publication.
CREATE TABLE alert (
    alert_id        UUID PRIMARY KEY,
    dedupe_key      TEXT          NOT NULL UNIQUE,
    rule_id         TEXT          NOT NULL,
    rule_name       TEXT          NOT NULL,
    severity        TEXT          NOT NULL,
    behaviour_type  TEXT          NOT NULL,
    pharmacy_code   TEXT,
    psn_no          TEXT,
    terminal_id     TEXT,
    prescriber_code TEXT,
    region_code     TEXT,
    amount          NUMERIC(14,2) NOT NULL,
    evidence        TEXT          NOT NULL,
    window_start    TIMESTAMPTZ   NOT NULL,
    window_end      TIMESTAMPTZ   NOT NULL,
    detected_at     TIMESTAMPTZ   NOT NULL,
    schema_version  INTEGER       NOT NULL,
    seen_count      INTEGER       NOT NULL DEFAULT 1,
    last_seen_at    TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX alert_pharmacy ON alert (pharmacy_code, detected_at DESC);
CREATE INDEX alert_rule ON alert (rule_id, detected_at DESC);
CREATE INDEX alert_detected ON alert (detected_at DESC);
CREATE INDEX alert_window ON alert (window_start, window_end);

-- The settlements (or rejected requests) behind each alert; ref = setlId, or "msg:"+msgId.
CREATE TABLE alert_settlement (
    alert_id      UUID          NOT NULL REFERENCES alert (alert_id),
    ref           TEXT          NOT NULL,
    seq           BIGSERIAL,
    setl_id       TEXT,
    msg_id        TEXT,
    pharmacy_code TEXT,
    occurred_at   TIMESTAMPTZ   NOT NULL,
    amount        NUMERIC(14,2) NOT NULL,
    added_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, ref)
);
