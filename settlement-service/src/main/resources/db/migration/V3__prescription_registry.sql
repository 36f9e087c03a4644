-- CLM-06: the e-prescription registry (POST /api/v1/admin/prescriptions). An electronic prescription
-- found here is dispensed only with its own items and up to its quantities, for its patient, by its
-- prescriber; one that is not registered is checked on the request's header alone (design choice).
-- Keyed by rx_no like prescription_use (an electronic prescription number is unique nationally).
CREATE TABLE registered_prescription (
    rx_no            TEXT PRIMARY KEY,
    institution_code TEXT        NOT NULL,
    physician_code   TEXT        NOT NULL,
    patient_psn_no   TEXT        NOT NULL,
    issued_at        TIMESTAMPTZ NOT NULL,
    valid_days       INT         NOT NULL CHECK (valid_days > 0),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE registered_prescription_item (
    rx_no     TEXT    NOT NULL REFERENCES registered_prescription (rx_no) ON DELETE CASCADE,
    item_code TEXT    NOT NULL,
    quantity  NUMERIC NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (rx_no, item_code)
);
