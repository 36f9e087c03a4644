-- The agreement lifecycle on the statutory calendar (AGR-01 .. AGR-13): several regions per pharmacy,
-- applications, deadlines, key-information changes, sanctions from audit, bans, disputes, and the
-- calendar years loaded by staff. The append-only rule of SEC-04 applies to every history-like table.

-- AGR-10: a pharmacy may hold agreements in several regions, one current agreement per region. The
-- home agreement is the one in the pharmacy's own region (pharmacy.region_code); it is the state
-- that agreement.pharmacy-status publishes (AGR-11).
DROP INDEX agreement_one_current;
CREATE UNIQUE INDEX agreement_one_current_per_region ON agreement (pharmacy_code, region_code) WHERE current;
-- AGR-05: when the "renewal window open" reminder went out for this term (once per term)
ALTER TABLE agreement ADD COLUMN renewal_reminded_at TIMESTAMPTZ;
CREATE INDEX agreement_renewal_window ON agreement (valid_to)
    WHERE current AND renewal_reminded_at IS NULL AND status IN ('ACTIVE', 'SETTLEMENT_HOLD');

-- SET-04 / AGR-02: statutory calendar years loaded by agency staff, on top of the years bundled in
-- the common module. A year is loaded at most once (corrections are not silent overwrites).
CREATE TABLE calendar_year (
    year          INT PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),
    calendar_text TEXT NOT NULL,      -- YearCalendar.toText(): what every service applies
    source        TEXT NOT NULL,
    loaded_by     TEXT NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

-- AGR-01 .. AGR-05: applications for a new designation or a renewal, and their evaluation.
CREATE TABLE application (
    id                     BIGSERIAL PRIMARY KEY,
    kind                   TEXT NOT NULL CHECK (kind IN ('NEW', 'RENEWAL')),
    pharmacy_code          TEXT NOT NULL CHECK (pharmacy_code ~ '^P[0-9]{11}$'),
    region_code            TEXT NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
    agreement_type         TEXT NOT NULL CHECK (agreement_type IN ('GENERAL', 'SPECIAL_DRUG')),
    -- a pharmacy not known yet (kind NEW): its master data, stored when the agreement is signed
    pharmacy_name          TEXT,
    address                TEXT,
    lat                    DOUBLE PRECISION,
    lon                    DOUBLE PRECISION,
    business_hours         TEXT,
    -- AGR-01 / AGR-12 subjects; identity numbers are never logged or shown unmasked (AUD-23)
    legal_rep_id_type      TEXT,
    legal_rep_id_number    TEXT,
    controller_id_type     TEXT,
    controller_id_number   TEXT,
    -- AGR-01 preconditions as declared and checked at acceptance
    licence_number         TEXT NOT NULL,
    months_at_address      INT NOT NULL,
    pharmacists            INT NOT NULL,
    insurance_manager      BOOLEAN NOT NULL,
    online_settlement      BOOLEAN NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('UNDER_EVALUATION', 'MATERIALS_INCOMPLETE', 'PASSED', 'FAILED',
                                                           'REJECTED', 'SIGNED', 'NEGOTIATION_FAILED', 'WITHDRAWN', 'LAPSED')),
    received_on            DATE NOT NULL,
    evaluation_round       INT NOT NULL DEFAULT 1 CHECK (evaluation_round IN (1, 2)),
    round_started_on       DATE NOT NULL,
    materials_complete_on  DATE,
    notice_issued_on       DATE,
    missing_items          TEXT,
    supplement_received_on DATE,
    paused_days            INT NOT NULL DEFAULT 0 CHECK (paused_days >= 0),
    result                 TEXT CHECK (result IN ('PASS', 'FAIL')),
    result_reasons         TEXT,
    result_delivered_on    DATE,
    term_from              DATE,
    term_to                DATE,
    agreement_id           BIGINT REFERENCES agreement (id),
    version                BIGINT NOT NULL DEFAULT 1,
    created_at             TIMESTAMPTZ NOT NULL,
    updated_at             TIMESTAMPTZ NOT NULL,
    CHECK (term_from IS NULL OR term_from <= term_to)
);
-- one open application per pharmacy and region; a FAILED one stays open (re-evaluation, AGR-03), and a
-- signed renewal whose term has not started yet too
CREATE UNIQUE INDEX application_one_open ON application (pharmacy_code, region_code)
    WHERE status IN ('UNDER_EVALUATION', 'MATERIALS_INCOMPLETE', 'PASSED', 'FAILED')
       OR (status = 'SIGNED' AND agreement_id IS NULL);
CREATE INDEX application_pharmacy ON application (pharmacy_code, id);
CREATE INDEX application_pending_renewal ON application (term_from) WHERE status = 'SIGNED' AND agreement_id IS NULL;

-- Deadlines of AGR-02 (notice), AGR-03 (evaluation), AGR-06 (filing) and AUD-21 (rectification), with the
-- way they were computed, so that a provisional one (a year without a published calendar, SET-04) is
-- recomputed when its year is loaded.
CREATE TABLE deadline (
    id            BIGSERIAL PRIMARY KEY,
    pharmacy_code TEXT NOT NULL,      -- no foreign key: a NEW application's pharmacy does not exist yet
    subject_type  TEXT NOT NULL CHECK (subject_type IN ('APPLICATION', 'KEY_CHANGE', 'SANCTION')),
    subject_id    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('INCOMPLETE_NOTICE', 'EVALUATION', 'FILING', 'RECTIFICATION')),
    round         INT NOT NULL DEFAULT 1,
    rule_id       TEXT NOT NULL,
    basis         TEXT NOT NULL CHECK (basis IN ('WORKING_DAYS', 'MONTHS')),
    start_date    DATE NOT NULL,
    amount        INT NOT NULL CHECK (amount >= 0),
    -- AGR-03: calendar days added because supplement time does not count
    shift_days    INT NOT NULL DEFAULT 0 CHECK (shift_days >= 0),
    due_date      DATE NOT NULL,
    provisional   BOOLEAN NOT NULL,
    remind_on     DATE NOT NULL,
    reminded_at   TIMESTAMPTZ,
    status        TEXT NOT NULL CHECK (status IN ('OPEN', 'PAUSED', 'MET', 'OVERDUE', 'CANCELLED')),
    paused_on     DATE,
    met_on        DATE,
    overdue_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (subject_type, subject_id, kind, round),
    CHECK (due_date >= start_date)
);
CREATE INDEX deadline_pharmacy ON deadline (pharmacy_code, id);
CREATE INDEX deadline_open_due ON deadline (due_date) WHERE status = 'OPEN';
CREATE INDEX deadline_remind ON deadline (remind_on) WHERE status = 'OPEN' AND reminded_at IS NULL;
CREATE INDEX deadline_provisional ON deadline (id) WHERE provisional;

-- AGR-06: key-information changes, to be filed within 30 working days of the authority's approval.
CREATE TABLE key_change (
    id            BIGSERIAL PRIMARY KEY,
    pharmacy_code TEXT NOT NULL REFERENCES pharmacy (code),
    items         TEXT[] NOT NULL,
    description   TEXT NOT NULL,
    approved_on   DATE NOT NULL,
    filed_on      DATE,
    deadline_id   BIGINT NOT NULL REFERENCES deadline (id),
    recorded_by   TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK (filed_on IS NULL OR filed_on >= approved_on)
);
CREATE INDEX key_change_pharmacy ON key_change (pharmacy_code, id);

-- AUD-21: sanctions received from audit.sanctions, applied or recorded as not applicable (never retried).
CREATE TABLE sanction (
    sanction_id       TEXT PRIMARY KEY,
    pharmacy_code     TEXT NOT NULL,    -- as received: an unknown pharmacy is recorded too
    region_code       TEXT,
    level             TEXT NOT NULL,
    police_referral   BOOLEAN NOT NULL,
    case_id           TEXT,
    reason            TEXT,
    confirmed_cases   INT,
    decided_by        TEXT,
    decided_at        TIMESTAMPTZ,
    applied           BOOLEAN NOT NULL,
    outcome           TEXT NOT NULL,    -- what was done, or why nothing was
    ground            TEXT,
    deadline_id       BIGINT REFERENCES deadline (id),
    rectified_on      DATE,
    rectified_by      TEXT,
    received_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX sanction_pharmacy ON sanction (pharmacy_code, decided_at);

-- AGR-12 reapplication bans, per subject: a pharmacy, or a person (legal representative, actual
-- controller, key person) identified by document type and number. Corrections are new rows.
CREATE TABLE reapplication_ban (
    id           BIGSERIAL PRIMARY KEY,
    subject_key  TEXT NOT NULL,          -- PHARMACY:<code> or PERSON:<idType>:<idNumber>
    subject_type TEXT NOT NULL CHECK (subject_type IN ('PHARMACY', 'PERSON')),
    pharmacy_code TEXT,                  -- the banned pharmacy, or the pharmacy the person's ban came from
    person_role  TEXT,
    from_date    DATE NOT NULL,
    until_date   DATE NOT NULL,
    reason       TEXT NOT NULL,
    rule_id      TEXT NOT NULL,
    origin       TEXT NOT NULL,          -- what caused it, so that one cause bans once (e.g. a cascade)
    actor        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK (until_date > from_date),
    UNIQUE (subject_key, origin)
);
CREATE INDEX reapplication_ban_pharmacy ON reapplication_ban (pharmacy_code);

-- AGR-01: parties listed as dishonest (失信), imported by an admin.
CREATE TABLE dishonest_party (
    subject_key  TEXT PRIMARY KEY,
    subject_type TEXT NOT NULL CHECK (subject_type IN ('PHARMACY', 'PERSON')),
    listed_on    DATE NOT NULL,
    until_date   DATE,
    source       TEXT NOT NULL,
    imported_by  TEXT NOT NULL,
    imported_at  TIMESTAMPTZ NOT NULL,
    CHECK (until_date IS NULL OR until_date >= listed_on)
);

-- AGR-13: disputes against a decision; recorded, never blocking it.
CREATE TABLE dispute (
    id             BIGSERIAL PRIMARY KEY,
    pharmacy_code  TEXT NOT NULL REFERENCES pharmacy (code),
    kind           TEXT NOT NULL CHECK (kind IN ('NEGOTIATION', 'COORDINATION', 'ADMINISTRATIVE_REVIEW', 'LAWSUIT')),
    history_id     BIGINT REFERENCES agreement_status_history (id),
    record_id      BIGINT,
    text           TEXT NOT NULL CHECK (length(btrim(text)) > 0),
    filed_by       TEXT NOT NULL,
    filed_at       TIMESTAMPTZ NOT NULL,
    CHECK ((history_id IS NULL) <> (record_id IS NULL))
);
CREATE INDEX dispute_pharmacy ON dispute (pharmacy_code, id);

-- SEC-04 for everything that is not an agreement status change: applications, deadlines, key changes,
-- sanctions, bans, disputes, reminders. Who, when, why; append-only.
CREATE TABLE record_history (
    id            BIGSERIAL PRIMARY KEY,
    pharmacy_code TEXT NOT NULL,
    subject_type  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    action        TEXT NOT NULL,
    from_state    TEXT,
    to_state      TEXT,
    detail        TEXT NOT NULL CHECK (length(btrim(detail)) > 0),
    rule_id       TEXT,
    actor         TEXT NOT NULL,
    source        TEXT NOT NULL,
    occurred_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX record_history_pharmacy ON record_history (pharmacy_code, id);
CREATE INDEX record_history_subject ON record_history (subject_type, subject_id, id);

CREATE TRIGGER record_history_append_only
    BEFORE UPDATE OR DELETE ON record_history
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER record_history_no_truncate
    BEFORE TRUNCATE ON record_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER reapplication_ban_append_only
    BEFORE UPDATE OR DELETE ON reapplication_ban
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER dispute_append_only
    BEFORE UPDATE OR DELETE ON dispute
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER calendar_year_append_only
    BEFORE UPDATE OR DELETE ON calendar_year
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
