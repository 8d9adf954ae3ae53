-- The spine: administrative tree, households, accounts, sessions, audit.
-- Portable SQL for SQLite and PostgreSQL; see store/src/db.rs for the {{id}} and --sqlite/--pg lines.

-- Units are keyed by their official code; leader = the party member paired with a grid.
-- On SQLite the table is clustered on the code (WITHOUT ROWID): one B-tree instead of two,
-- which is what a 665 k-row national import spends its time on.
--sqlite CREATE TABLE units (code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, parent_code TEXT, leader TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
--pg CREATE TABLE units (code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, parent_code TEXT, leader TEXT NOT NULL DEFAULT '');
CREATE INDEX units_parent ON units (parent_code);

CREATE TABLE households (
    id            {{id}},
    village_code  TEXT NOT NULL REFERENCES units (code),
    township_code TEXT NOT NULL,
    county_code   TEXT NOT NULL,
    grid_code     TEXT REFERENCES units (code),
    household_no  TEXT NOT NULL,
    address       TEXT NOT NULL DEFAULT '',
    head_name     TEXT NOT NULL,
    tags          TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (village_code, household_no)
);
CREATE INDEX households_township ON households (township_code);
CREATE INDEX households_county ON households (county_code);
CREATE INDEX households_grid ON households (grid_code);

-- Resident IDs and phones are stored only encrypted (AES-256-GCM) with a keyed hash
-- (HMAC-SHA-256) for exact look-up and the masked form for lists.
CREATE TABLE members (
    id           {{id}},
    household_id BIGINT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL DEFAULT 0,
    name         TEXT NOT NULL,
    relation     TEXT NOT NULL,
    sex          TEXT,
    birth_date   TEXT,
    id_cipher    TEXT,
    id_hash      TEXT,
    id_masked    TEXT,
    phone_cipher TEXT,
    phone_masked TEXT
);
CREATE INDEX members_household ON members (household_id);
CREATE INDEX members_id_hash ON members (id_hash);

CREATE TABLE users (
    id            {{id}},
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    -- NULL: the whole country (national administrator)
    unit_code     TEXT REFERENCES units (code),
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

-- Server-side sessions, so several server processes can share one PostgreSQL.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           {{id}},
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT
);

CREATE TABLE login_failures (
    id       {{id}},
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE audit_log (
    id          {{id}},
    at          TEXT NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL DEFAULT '',
    unit_code   TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_unit ON audit_log (unit_code);

-- Append-only: the database itself refuses to edit or delete audit rows.
--sqlite CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
--sqlite CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
--pg CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
--pg CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
