-- Credit village: assessment rounds, household filing, score records, assessments,
-- objections, corrections (append-only), bank credit lines, credit-supermarket points.

-- One round scores the households of a village or a whole township with the rule set (TOML)
-- stored with it, through filing -> assessed -> publicity -> final.
CREATE TABLE credit_rounds (
    id              {{id}},
    unit_code       TEXT NOT NULL REFERENCES units (code),
    period          TEXT NOT NULL,
    rules_name      TEXT NOT NULL,
    rules_toml      TEXT NOT NULL,
    stage           TEXT NOT NULL DEFAULT 'filing',
    assessed_on     TEXT,
    publicity_start TEXT,
    publicity_days  BIGINT NOT NULL DEFAULT 7,
    finalized_on    TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX credit_rounds_unit ON credit_rounds (unit_code);

-- Household information filed by a grid member (one current file per household).
CREATE TABLE credit_profiles (
    household_id     BIGINT PRIMARY KEY REFERENCES households (id) ON DELETE CASCADE,
    labour           BIGINT NOT NULL DEFAULT 0,
    industry         TEXT NOT NULL DEFAULT '',
    income_band      TEXT NOT NULL DEFAULT '',
    loans            TEXT NOT NULL DEFAULT '',
    repayment        TEXT NOT NULL DEFAULT '',
    consent_to_share BIGINT NOT NULL DEFAULT 0,
    filed_by         TEXT NOT NULL,
    filed_at         TEXT NOT NULL
);

CREATE TABLE credit_records (
    id           {{id}},
    round_id     BIGINT NOT NULL REFERENCES credit_rounds (id),
    household_id BIGINT NOT NULL REFERENCES households (id),
    item_code    TEXT NOT NULL,
    occurred_on  TEXT NOT NULL,
    recorder     TEXT NOT NULL,
    evidence     TEXT NOT NULL DEFAULT '',
    confirmed_by TEXT,
    voided       BIGINT NOT NULL DEFAULT 0,
    void_reason  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
-- Covers the batch assessment's read (one pass over a round's records by household).
CREATE INDEX credit_records_round_household
    ON credit_records (round_id, household_id, item_code, confirmed_by, voided);

-- Recorders' own household ('own') and households they declared a relation to ('relation').
CREATE TABLE credit_relations (
    id           {{id}},
    username     TEXT NOT NULL,
    household_id BIGINT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    declared_at  TEXT NOT NULL,
    UNIQUE (username, household_id)
);

-- Result of the system assessment; `final` = 1 once the round is final (then never edited).
-- `breakdown` is compact JSON [[item_code, counted, applied], ...]; the household page explains
-- from the records themselves.
CREATE TABLE credit_assessments (
    round_id     BIGINT NOT NULL REFERENCES credit_rounds (id),
    household_id BIGINT NOT NULL REFERENCES households (id),
    score        BIGINT NOT NULL,
    grade        TEXT NOT NULL,
    earned       BIGINT NOT NULL DEFAULT 0,
    breakdown    TEXT NOT NULL DEFAULT '[]',
    final        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, household_id)
);
CREATE INDEX credit_assessments_household ON credit_assessments (household_id);

CREATE TABLE credit_objections (
    id              {{id}},
    round_id        BIGINT NOT NULL REFERENCES credit_rounds (id),
    household_id    BIGINT NOT NULL REFERENCES households (id),
    raised_by       TEXT NOT NULL,
    contact         TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL,
    raised_on       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open',
    fix_points      BIGINT NOT NULL DEFAULT 0,
    fix_record_id   BIGINT,
    decision_reason TEXT NOT NULL DEFAULT '',
    decided_by      TEXT,
    decided_on      TEXT
);
CREATE INDEX credit_objections_round ON credit_objections (round_id, status);

-- Corrections after final: append-only entries, never edits.
CREATE TABLE credit_corrections (
    id           {{id}},
    round_id     BIGINT NOT NULL REFERENCES credit_rounds (id),
    household_id BIGINT NOT NULL REFERENCES households (id),
    points       BIGINT NOT NULL DEFAULT 0,
    grade        TEXT,
    reason       TEXT NOT NULL,
    made_by      TEXT NOT NULL,
    made_on      TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE credit_lines (
    id           {{id}},
    household_id BIGINT NOT NULL REFERENCES households (id),
    village_code TEXT NOT NULL,
    bank_user    TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL,
    term_months  BIGINT NOT NULL,
    rate_bp      BIGINT NOT NULL,
    granted_on   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX credit_lines_village ON credit_lines (village_code);

CREATE TABLE points_accounts (
    household_id BIGINT PRIMARY KEY REFERENCES households (id),
    balance      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE points_entries (
    id            {{id}},
    household_id  BIGINT NOT NULL REFERENCES households (id),
    kind          TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX points_entries_household ON points_entries (household_id);

CREATE TABLE credit_goods (
    id           {{id}},
    village_code TEXT NOT NULL REFERENCES units (code),
    name         TEXT NOT NULL,
    price_points BIGINT NOT NULL,
    stock        BIGINT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE credit_redemptions (
    id           {{id}},
    household_id BIGINT NOT NULL REFERENCES households (id),
    goods_id     BIGINT NOT NULL REFERENCES credit_goods (id),
    qty          BIGINT NOT NULL,
    points       BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
