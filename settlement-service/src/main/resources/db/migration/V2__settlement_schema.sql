-- settlement-service schema. Money is NUMERIC(14,2) (CLM-10); request quantities and unit prices are
-- kept unconstrained NUMERIC so that they stay exactly as the pharmacy uploaded them (CLM-16).
-- The constraints below make a double spend impossible even with several instances: the balance
-- can never go negative, a msgId is settled once, an electronic prescription is used by one live
-- settlement, and a settlement is undone (cancelled or reversed) once.

-- Reference data, loaded by the admin import (POS-API.md §4) -----------------------------------

CREATE TABLE person (
    psn_no         TEXT PRIMARY KEY,
    insurance_type TEXT        NOT NULL CHECK (insurance_type IN ('EMPLOYEE', 'RESIDENT')),
    region_code    TEXT        NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('ACTIVE', 'LAPSED', 'DECEASED')),
    card_lost      BOOLEAN     NOT NULL DEFAULT false,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- CLM-03: the credentials (social-security card, e-voucher, ID card numbers) that identify the person.
CREATE TABLE person_cert (
    psn_no  TEXT NOT NULL REFERENCES person (psn_no) ON DELETE CASCADE,
    cert_no TEXT NOT NULL,
    PRIMARY KEY (psn_no, cert_no)
);

-- CLM-07 / CLM-11.4: chronic-disease registrations.
CREATE TABLE chronic_registration (
    psn_no       TEXT NOT NULL REFERENCES person (psn_no) ON DELETE CASCADE,
    disease_code TEXT NOT NULL,
    valid_from   DATE NOT NULL,
    valid_to     DATE,
    PRIMARY KEY (psn_no, disease_code, valid_from),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

-- CLM-12: one row per person (residents hold 0.00). Every settlement and cancellation of the person
-- locks this row FOR UPDATE before it reads balance or accumulators, so two purchases by one person
-- are never computed against the same stale state, whichever instance or partition runs them.
CREATE TABLE account (
    psn_no     TEXT PRIMARY KEY REFERENCES person (psn_no),
    balance    NUMERIC(14, 2) NOT NULL CHECK (balance >= 0),
    updated_at TIMESTAMPTZ    NOT NULL DEFAULT now()
);

-- CLM-12: per person and calendar year of the sale.
CREATE TABLE accumulator (
    psn_no                  TEXT           NOT NULL REFERENCES person (psn_no),
    year                    INT            NOT NULL,
    pooling_deductible_used NUMERIC(14, 2) NOT NULL DEFAULT 0 CHECK (pooling_deductible_used >= 0),
    pooling_fund_paid       NUMERIC(14, 2) NOT NULL DEFAULT 0 CHECK (pooling_fund_paid >= 0),
    account_paid            NUMERIC(14, 2) NOT NULL DEFAULT 0 CHECK (account_paid >= 0),
    PRIMARY KEY (psn_no, year)
);

-- CLM-12: chronic fund paid per person, calendar year and disease (capped per disease, CLM-11.4).
CREATE TABLE chronic_accumulator (
    psn_no       TEXT           NOT NULL REFERENCES person (psn_no),
    year         INT            NOT NULL,
    disease_code TEXT           NOT NULL,
    fund_paid    NUMERIC(14, 2) NOT NULL DEFAULT 0 CHECK (fund_paid >= 0),
    PRIMARY KEY (psn_no, year, disease_code)
);

CREATE TABLE catalogue_item (
    item_code        TEXT PRIMARY KEY,
    name             TEXT        NOT NULL,
    spec             TEXT,
    item_class       TEXT        NOT NULL CHECK (item_class IN ('A', 'B', 'C', 'NON_MEDICAL')),
    rx               BOOLEAN     NOT NULL,
    payment_standard NUMERIC CHECK (payment_standard >= 0), -- null: no limit (CLM-11.1)
    chronic_diseases TEXT[]      NOT NULL DEFAULT '{}',
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE institution (
    institution_code TEXT PRIMARY KEY,
    designated       BOOLEAN     NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE physician (
    institution_code TEXT NOT NULL REFERENCES institution (institution_code) ON DELETE CASCADE,
    physician_code   TEXT NOT NULL,
    PRIMARY KEY (institution_code, physician_code)
);

-- Effective-dated per region: a sale uses the row with the greatest effective_from <= its sale date,
-- read inside each settlement transaction, so a new row takes effect on its date without a restart.
CREATE TABLE policy (
    region_code                    TEXT        NOT NULL,
    effective_from                 DATE        NOT NULL,
    max_days_supply                INT         NOT NULL CHECK (max_days_supply > 0),
    max_days_supply_chronic        INT         NOT NULL CHECK (max_days_supply_chronic > 0),
    refill_threshold               NUMERIC     NOT NULL CHECK (refill_threshold BETWEEN 0 AND 1),
    b_self_pay_ratio               NUMERIC     NOT NULL CHECK (b_self_pay_ratio BETWEEN 0 AND 1),
    account_covers_out_of_scope    BOOLEAN     NOT NULL,
    outpatient_pooling_at_pharmacy BOOLEAN     NOT NULL,
    hold_allows_settlement         BOOLEAN     NOT NULL DEFAULT false,
    max_rx_items                   INT         NOT NULL DEFAULT 5 CHECK (max_rx_items > 0),
    max_rx_valid_days              INT         NOT NULL DEFAULT 3 CHECK (max_rx_valid_days > 0),
    benefits                       JSONB       NOT NULL, -- [{insuranceType, benefit, deductible, ratio, cap}]
    chronic_caps                   JSONB       NOT NULL, -- [{diseaseCode, cap}]
    updated_at                     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (region_code, effective_from)
);

-- Local copies of the agreement service's compacted topics (AGR-11): never called synchronously. ----

CREATE TABLE pharmacy (
    pharmacy_code TEXT PRIMARY KEY,
    region_code   TEXT,
    status        TEXT        NOT NULL,
    valid_from    DATE,
    valid_to      DATE,
    version       BIGINT      NOT NULL,
    changed_at    TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE terminal (
    terminal_id   TEXT PRIMARY KEY,
    pharmacy_code TEXT        NOT NULL,
    status        TEXT        NOT NULL,
    version       BIGINT      NOT NULL,
    changed_at    TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Settlements ----------------------------------------------------------------------------------

-- CLM-01 / CLM-15: the settle and the reversal of one msgId both insert-then-lock this row first,
-- so they run one after the other even when they arrive on different partitions or instances.
CREATE TABLE msg_claim (
    msg_id     TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE settlement (
    setl_id                 TEXT PRIMARY KEY,            -- 'S' + time-ordered unique id
    msg_id                  TEXT           NOT NULL UNIQUE, -- CLM-01: one settlement per msgId, ever
    body_hash               TEXT           NOT NULL,        -- SHA-256 hex of the request body (CLM-01 conflict)
    command_id              TEXT,
    psn_no                  TEXT,
    pharmacy_code           TEXT           NOT NULL,
    terminal_id             TEXT,
    region_code             TEXT,
    operator_id             TEXT,
    status                  TEXT           NOT NULL CHECK (status IN ('SETTLED', 'REJECTED', 'CANCELLED', 'REVERSED')),
    occurred_at             TIMESTAMPTZ    NOT NULL,
    sale_date               DATE           NOT NULL,        -- Beijing-time date of occurred_at
    total                   NUMERIC(14, 2),
    over_limit              NUMERIC(14, 2),
    out_of_scope            NUMERIC(14, 2),
    self_pay_first          NUMERIC(14, 2),
    fund_pay                NUMERIC(14, 2),
    account_pay             NUMERIC(14, 2),
    cash_pay                NUMERIC(14, 2),
    account_balance_after   NUMERIC(14, 2),
    -- the accumulator increments this settlement applied (CLM-12), so a cancellation restores them exactly
    pooling_deductible_used NUMERIC(14, 2),
    pooling_fund_paid       NUMERIC(14, 2),
    chronic_fund_paid       JSONB,                          -- {"I10": "70.00"}
    reject_codes            TEXT[]         NOT NULL DEFAULT '{}',
    declared                BOOLEAN        NOT NULL DEFAULT false, -- CLM-14 / SET-01: set by the declaration
    request_json            TEXT           NOT NULL,        -- CLM-16: the request as uploaded
    result_json             TEXT           NOT NULL,        -- the original result (never edited, SEC-04)
    settled_at              TIMESTAMPTZ    NOT NULL,
    created_at              TIMESTAMPTZ    NOT NULL DEFAULT now(),
    CHECK (status = 'REJECTED' OR (total IS NOT NULL AND account_pay IS NOT NULL AND fund_pay IS NOT NULL))
);
CREATE INDEX settlement_pharmacy_day ON settlement (pharmacy_code, sale_date);
CREATE INDEX settlement_person_day ON settlement (psn_no, sale_date);

-- CLM-16: every line as uploaded, with the catalogue's name/spec/class and every figure (null when rejected).
CREATE TABLE settlement_line (
    setl_id            TEXT    NOT NULL REFERENCES settlement (setl_id),
    seq                INT     NOT NULL, -- position in the request
    line_no            INT     NOT NULL,
    item_code          TEXT,
    item_name          TEXT,
    spec               TEXT,
    item_class         TEXT,
    quantity           NUMERIC,
    unit_price         NUMERIC,
    days_supply        INT,
    rx_no              TEXT,
    pharmacist_licence TEXT,
    amount             NUMERIC(14, 2),
    over_limit         NUMERIC(14, 2),
    out_of_scope       NUMERIC(14, 2),
    self_pay_first     NUMERIC(14, 2),
    eligible           NUMERIC(14, 2),
    fund_pay           NUMERIC(14, 2),
    benefit            TEXT,
    account_pay        NUMERIC(14, 2),
    cash_pay           NUMERIC(14, 2),
    PRIMARY KEY (setl_id, seq)
);

-- CLM-08: what a person was supplied, at any pharmacy; a cancellation makes the rows not live.
CREATE TABLE supply (
    setl_id     TEXT    NOT NULL REFERENCES settlement (setl_id),
    seq         INT     NOT NULL,
    psn_no      TEXT    NOT NULL,
    item_code   TEXT    NOT NULL,
    sale_date   DATE    NOT NULL,
    days_supply INT     NOT NULL,
    live        BOOLEAN NOT NULL DEFAULT true,
    PRIMARY KEY (setl_id, seq)
);
CREATE INDEX supply_live_by_person_item ON supply (psn_no, item_code, sale_date DESC) WHERE live;

-- CLM-06: an electronic prescription is dispensed by at most one live settlement.
CREATE TABLE prescription_use (
    setl_id          TEXT PRIMARY KEY REFERENCES settlement (setl_id),
    rx_no            TEXT        NOT NULL,
    institution_code TEXT,
    live             BOOLEAN     NOT NULL DEFAULT true,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX prescription_use_live_once ON prescription_use (rx_no) WHERE live;

-- CLM-15: a reversal that arrived before its original; the original is rejected when it arrives.
CREATE TABLE reversal_marker (
    original_msg_id TEXT PRIMARY KEY,
    reversal_msg_id TEXT,
    pharmacy_code   TEXT        NOT NULL,
    command_id      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- CLM-14 / CLM-15: who undid a settlement, when, and the result answered; at most one per settlement.
CREATE TABLE settlement_cancellation (
    setl_id               TEXT PRIMARY KEY REFERENCES settlement (setl_id),
    kind                  TEXT        NOT NULL CHECK (kind IN ('CANCELLED', 'REVERSED')),
    command_id            TEXT,
    request_msg_id        TEXT,
    operator_id           TEXT,
    account_balance_after NUMERIC(14, 2),
    result_json           TEXT        NOT NULL, -- the current result once undone
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
