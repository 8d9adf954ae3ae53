-- Collective ledgers: contracts (with flags and their rectification), debts (with resolution
-- actions), claims (with collections), resources, and each county's flag rules (TOML).
-- Every ledger row carries village/township/county codes so scope rankings are one GROUP BY.

CREATE TABLE contracts (
    id                     {{id}},
    village_code           TEXT NOT NULL REFERENCES units (code),
    township_code          TEXT NOT NULL,
    county_code            TEXT NOT NULL,
    contract_no            TEXT NOT NULL,
    kind                   TEXT NOT NULL,
    counterparty           TEXT NOT NULL,
    -- resident ID: encrypted, keyed hash, masked form; never in clear
    counterparty_id_cipher TEXT,
    counterparty_id_hash   TEXT,
    counterparty_id_masked TEXT NOT NULL DEFAULT '',
    subject                TEXT,
    resource_no            TEXT,
    area_mu_x100           BIGINT,
    area_m2_x100           BIGINT,
    start_on               TEXT NOT NULL,
    end_on                 TEXT NOT NULL,
    annual_rent_fen        BIGINT NOT NULL,
    prepaid_years_x100     BIGINT,
    paid_fen               BIGINT NOT NULL DEFAULT 0,
    signed_on              TEXT,
    procedure_ref          TEXT,
    related_cadre          BIGINT NOT NULL DEFAULT 0,
    status                 TEXT NOT NULL DEFAULT 'active',
    -- kept by the flag recompute and rectification updates, so rankings read one index
    flag_count             BIGINT NOT NULL DEFAULT 0,
    open_flag_count        BIGINT NOT NULL DEFAULT 0,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    UNIQUE (village_code, contract_no)
);
-- Covering indexes for the scope ranking: each GROUP BY village_code reads only the index.
CREATE INDEX contracts_rank ON contracts (village_code, kind, annual_rent_fen, flag_count, open_flag_count);

CREATE TABLE contract_flags (
    id           {{id}},
    contract_id  BIGINT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
    village_code TEXT NOT NULL,
    code         TEXT NOT NULL,
    detail_zh    TEXT NOT NULL DEFAULT '',
    detail_en    TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'open',
    deadline     TEXT,
    reason       TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    UNIQUE (contract_id, code)
);
CREATE INDEX contract_flags_rank ON contract_flags (village_code, code);

CREATE TABLE debts (
    id            {{id}},
    village_code  TEXT NOT NULL REFERENCES units (code),
    township_code TEXT NOT NULL,
    county_code   TEXT NOT NULL,
    debt_no       TEXT NOT NULL,
    creditor      TEXT NOT NULL,
    principal_fen BIGINT NOT NULL,
    incurred_on   TEXT,
    category      TEXT,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (village_code, debt_no)
);
CREATE INDEX debts_rank ON debts (village_code, principal_fen);

CREATE TABLE debt_actions (
    id           {{id}},
    debt_id      BIGINT NOT NULL REFERENCES debts (id) ON DELETE CASCADE,
    village_code TEXT NOT NULL,
    method       TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL,
    acted_on     TEXT NOT NULL,
    evidence     TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX debt_actions_debt ON debt_actions (debt_id);
CREATE INDEX debt_actions_rank ON debt_actions (village_code, method, amount_fen);

CREATE TABLE claims (
    id            {{id}},
    village_code  TEXT NOT NULL REFERENCES units (code),
    township_code TEXT NOT NULL,
    county_code   TEXT NOT NULL,
    claim_no      TEXT NOT NULL,
    debtor        TEXT NOT NULL,
    amount_fen    BIGINT NOT NULL,
    arose_on      TEXT,
    origin        TEXT,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (village_code, claim_no)
);
CREATE INDEX claims_rank ON claims (village_code, amount_fen);

CREATE TABLE claim_collections (
    id           {{id}},
    claim_id     BIGINT NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    village_code TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL,
    collected_on TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX claim_collections_claim ON claim_collections (claim_id);
CREATE INDEX claim_collections_rank ON claim_collections (village_code, amount_fen);

CREATE TABLE resources (
    id            {{id}},
    village_code  TEXT NOT NULL REFERENCES units (code),
    township_code TEXT NOT NULL,
    county_code   TEXT NOT NULL,
    resource_no   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    name          TEXT,
    area_mu_x100  BIGINT,
    location      TEXT,
    status        TEXT NOT NULL,
    contract_no   TEXT,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (village_code, resource_no)
);
CREATE INDEX resources_rank ON resources (village_code, status, area_mu_x100);

CREATE TABLE ledger_rules (
    county_code TEXT PRIMARY KEY,
    rules_toml  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
