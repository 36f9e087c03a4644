-- AUD-20 cases, AUD-21 sanctions, SEC-03/SEC-04. Cases name people by psnNo only, through their
-- alerts (AUD-23); nothing here holds an ID-card number or a name.

-- One case per investigation, about ONE pharmacy. The row is the case's current state; its history is
-- case_event (append-only). The row itself changes once: OPEN -> CONFIRMED or DISMISSED (trigger below).
CREATE TABLE audit_case (
    case_id          TEXT PRIMARY KEY,
    pharmacy_code    TEXT          NOT NULL,
    region_code      TEXT,
    title            TEXT          NOT NULL,
    status           TEXT          NOT NULL CHECK (status IN ('OPEN', 'CONFIRMED', 'DISMISSED')),
    opened_by        TEXT          NOT NULL,
    opened_at        TIMESTAMPTZ   NOT NULL,
    closed_by        TEXT,
    -- for a CONFIRMED case: the confirmation time, which the AUD-21 rolling window counts by
    closed_at        TIMESTAMPTZ,
    violating_amount NUMERIC(14,2) CHECK (violating_amount > 0),
    category         TEXT,
    severe           BOOLEAN,
    penalty_amount   NUMERIC(14,2) CHECK (penalty_amount >= 0),
    close_reason     TEXT,
    CHECK ((status = 'OPEN') = (closed_at IS NULL AND closed_by IS NULL)),
    CHECK (status <> 'CONFIRMED' OR (violating_amount IS NOT NULL AND category IS NOT NULL AND severe IS NOT NULL)),
    CHECK (status <> 'DISMISSED' OR close_reason IS NOT NULL)
);
CREATE INDEX audit_case_pharmacy ON audit_case (pharmacy_code, opened_at DESC);
CREATE INDEX audit_case_status ON audit_case (status, opened_at DESC);
-- AUD-21: a pharmacy's confirmations in the rolling window
CREATE INDEX audit_case_confirmed ON audit_case (pharmacy_code, closed_at) WHERE status = 'CONFIRMED';

-- The alerts a case was opened from (never changed).
CREATE TABLE case_alert (
    case_id  TEXT NOT NULL REFERENCES audit_case (case_id),
    alert_id UUID NOT NULL REFERENCES alert (alert_id),
    PRIMARY KEY (case_id, alert_id)
);
CREATE INDEX case_alert_alert ON case_alert (alert_id);

-- SEC-04: every step of a case, who, when and why. Never updated or deleted.
CREATE TABLE case_event (
    seq      BIGSERIAL PRIMARY KEY,
    case_id  TEXT        NOT NULL REFERENCES audit_case (case_id),
    type     TEXT        NOT NULL CHECK (type IN ('OPENED', 'NOTE_ADDED', 'SETTLEMENT_ADDED', 'CONFIRMED', 'DISMISSED',
                                                   'SANCTION_REQUESTED')),
    actor    TEXT        NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    text     TEXT,
    evidence TEXT,
    details  TEXT        -- JSON object: the figures of the step (alert ids, amounts, category, sanction)
);
CREATE INDEX case_event_case ON case_event (case_id, seq);

-- SET-03, published for the future finance part: the settlements (setlId; rejected requests were never
-- paid) of the case's pharmacy behind a case. OPEN = withheld until the case closes; CONFIRMED = never
-- paid, or recovered if already paid; DISMISSED = released. A projection of audit_case (its status
-- follows the case in the same transaction), not history: the history is case_event.
CREATE TABLE case_settlement (
    case_id       TEXT        NOT NULL REFERENCES audit_case (case_id),
    setl_id       TEXT        NOT NULL,
    msg_id        TEXT,
    pharmacy_code TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('OPEN', 'CONFIRMED', 'DISMISSED')),
    added_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, setl_id)
);
CREATE INDEX case_settlement_status ON case_settlement (status, pharmacy_code);
CREATE INDEX case_settlement_setl ON case_settlement (setl_id);

-- AUD-21: the sanction each confirmed case led to, as published on audit.sanctions. Never changed.
CREATE TABLE sanction (
    sanction_id     TEXT PRIMARY KEY,
    case_id         TEXT        NOT NULL UNIQUE REFERENCES audit_case (case_id),
    pharmacy_code   TEXT        NOT NULL,
    region_code     TEXT,
    level           TEXT        NOT NULL CHECK (level IN ('INTERVIEW', 'SETTLEMENT_HOLD', 'SUSPENSION', 'TERMINATION')),
    police_referral BOOLEAN     NOT NULL,
    reason          TEXT        NOT NULL,
    confirmed_cases INTEGER     NOT NULL,
    decided_by      TEXT        NOT NULL,
    decided_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX sanction_pharmacy ON sanction (pharmacy_code, decided_at);

-- SEC-04 enforced by the database itself, not only by the code.
CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only (SEC-04): add a new record instead', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON case_event
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON case_event
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER case_alert_append_only BEFORE UPDATE OR DELETE ON case_alert
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER sanction_append_only BEFORE UPDATE OR DELETE ON sanction
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER sanction_no_truncate BEFORE TRUNCATE ON sanction
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- A case is never deleted, and closes exactly once: OPEN -> CONFIRMED/DISMISSED, with what it was opened
-- with unchanged. A second close is refused even if the code forgot to check.
CREATE FUNCTION case_closes_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'case % cannot be deleted (SEC-04)', OLD.case_id;
    END IF;
    IF OLD.status <> 'OPEN' OR NEW.status = 'OPEN'
            OR NEW.case_id <> OLD.case_id OR NEW.pharmacy_code <> OLD.pharmacy_code
            OR NEW.region_code IS DISTINCT FROM OLD.region_code OR NEW.title <> OLD.title
            OR NEW.opened_by <> OLD.opened_by OR NEW.opened_at <> OLD.opened_at THEN
        RAISE EXCEPTION 'case % closes once, from OPEN, and keeps what it was opened with (SEC-04)', OLD.case_id;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_case_closes_once BEFORE UPDATE OR DELETE ON audit_case
    FOR EACH ROW EXECUTE FUNCTION case_closes_once();
