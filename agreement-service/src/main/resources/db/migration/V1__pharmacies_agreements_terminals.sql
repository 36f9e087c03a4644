-- agreement-service schema: pharmacies, their agreements, terminals, and append-only histories.
-- Every status change is written together with its outbox row (platform table `outbox`) in one
-- transaction; the history tables are the SEC-04 record (who, when, why) and are never updated.

CREATE TABLE pharmacy (
    -- national code of a designated retail pharmacy: 'P' + 6-digit region + 5-digit serial
    code           TEXT PRIMARY KEY CHECK (code ~ '^P[0-9]{11}$'),
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    region_code    TEXT NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
    address        TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 500),
    lat            DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon            DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    -- HH:MM-HH:MM, start before end; 00:00-24:00 means open all day (AUD-06 reads it)
    business_hours TEXT NOT NULL CHECK (business_hours ~ '^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'),
    -- version of the published state (AGR-11): grows with every change of the pharmacy or its
    -- current agreement; consumers of agreement.pharmacy-status ignore older versions
    version        BIGINT NOT NULL CHECK (version >= 1),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX pharmacy_region ON pharmacy (region_code);

-- One row per agreement term. A pharmacy has exactly one current agreement; a new term (renewal,
-- AGR-05, or an import with another start date) supersedes the previous row instead of editing it.
CREATE TABLE agreement (
    id                               BIGSERIAL PRIMARY KEY,
    pharmacy_code                    TEXT NOT NULL REFERENCES pharmacy (code),
    region_code                      TEXT NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
    type                             TEXT NOT NULL CHECK (type IN ('GENERAL', 'SPECIAL_DRUG')),
    valid_from                       DATE NOT NULL,
    valid_to                         DATE NOT NULL,
    status                           TEXT NOT NULL CHECK (status IN ('ACTIVE', 'SETTLEMENT_HOLD', 'SUSPENDED', 'TERMINATED', 'EXPIRED')),
    -- AGR-08 hold kept apart from the status: a held pharmacy that is suspended and resumed is held again
    settlement_hold                  BOOLEAN NOT NULL DEFAULT false,
    -- AGR-09: suspensions counted within this term
    suspensions_in_term              INT NOT NULL DEFAULT 0 CHECK (suspensions_in_term >= 0),
    suspended_at                     TIMESTAMPTZ,
    suspension_requested_by_pharmacy BOOLEAN NOT NULL DEFAULT false,
    termination_ground               TEXT,
    status_changed_at                TIMESTAMPTZ NOT NULL,
    current                          BOOLEAN NOT NULL DEFAULT true,
    version                          BIGINT NOT NULL DEFAULT 1,
    created_at                       TIMESTAMPTZ NOT NULL,
    updated_at                       TIMESTAMPTZ NOT NULL,
    CHECK (valid_from <= valid_to),
    CHECK (status <> 'SUSPENDED' OR suspended_at IS NOT NULL)
);
CREATE UNIQUE INDEX agreement_one_current ON agreement (pharmacy_code) WHERE current;
-- the scheduler's claims (AGR-05 expiry, AGR-07 180-day limit)
CREATE INDEX agreement_due_expiry ON agreement (valid_to)
    WHERE current AND status IN ('ACTIVE', 'SETTLEMENT_HOLD', 'SUSPENDED');
CREATE INDEX agreement_requested_suspension ON agreement (suspended_at)
    WHERE current AND status = 'SUSPENDED' AND suspension_requested_by_pharmacy;
CREATE INDEX agreement_status ON agreement (status, region_code) WHERE current;

-- SEC-04: who, when and why for every agreement status change. Append-only: corrections are new rows.
CREATE TABLE agreement_status_history (
    id               BIGSERIAL PRIMARY KEY,
    pharmacy_code    TEXT NOT NULL REFERENCES pharmacy (code),
    agreement_id     BIGINT NOT NULL REFERENCES agreement (id),
    action           TEXT NOT NULL,
    from_status      TEXT,            -- null when the agreement was created
    to_status        TEXT NOT NULL,
    settlement_hold  BOOLEAN NOT NULL,
    reason           TEXT NOT NULL CHECK (length(btrim(reason)) > 0),
    ground           TEXT,
    rule_id          TEXT,
    actor            TEXT NOT NULL,   -- JWT principal, or system:<job>
    source           TEXT NOT NULL,   -- STAFF, IMPORT, SCHEDULER (later SANCTION, CASCADE)
    occurred_at      TIMESTAMPTZ NOT NULL,
    pharmacy_version BIGINT NOT NULL  -- the version of the event published for this change
);
CREATE INDEX agreement_status_history_pharmacy ON agreement_status_history (pharmacy_code, id);

-- SEC-01: one terminal belongs to one pharmacy; its HMAC secret is stored only encrypted
-- (AES-GCM, common SecretCipher) and shown in clear only in the registration/rotation answer.
CREATE TABLE terminal (
    terminal_id       TEXT PRIMARY KEY CHECK (terminal_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    pharmacy_code     TEXT NOT NULL REFERENCES pharmacy (code),
    status            TEXT NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    secret_ciphertext TEXT NOT NULL,
    version           BIGINT NOT NULL CHECK (version >= 1),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX terminal_pharmacy ON terminal (pharmacy_code);

CREATE TABLE terminal_history (
    id           BIGSERIAL PRIMARY KEY,
    terminal_id  TEXT NOT NULL REFERENCES terminal (terminal_id),
    pharmacy_code TEXT NOT NULL,
    action       TEXT NOT NULL,       -- REGISTERED, REISSUED, ROTATED, REVOKED
    status       TEXT NOT NULL,
    reason       TEXT,
    actor        TEXT NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL
);
CREATE INDEX terminal_history_terminal ON terminal_history (terminal_id, id);

-- SEC-04 enforced by the database itself, not only by the code: history rows cannot change.
CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only (SEC-04): add a correcting row instead', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER agreement_status_history_append_only
    BEFORE UPDATE OR DELETE ON agreement_status_history
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER agreement_status_history_no_truncate
    BEFORE TRUNCATE ON agreement_status_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER terminal_history_append_only
    BEFORE UPDATE OR DELETE ON terminal_history
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER terminal_history_no_truncate
    BEFORE TRUNCATE ON terminal_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
