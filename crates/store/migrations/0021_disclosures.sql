-- Three-affairs disclosure (see domain::disclosure). A draft is prepared (and, for finance,
-- approved by a second person) and may be edited until it is published; a published
-- disclosure is final: the database refuses UPDATE and DELETE on it (like the audit log), a
-- correction is a new disclosure that supersedes the old one (at most one correction each:
-- UNIQUE), and its exact content is a leaf of the transparency log (log_entries kind
-- 'disclosure', ref_id = id).
CREATE TABLE disclosures (
    id                {{id}},
    unit_code         TEXT NOT NULL REFERENCES units (code),
    township_code     TEXT NOT NULL,
    county_code       TEXT NOT NULL,
    module            TEXT NOT NULL,
    category          TEXT NOT NULL,
    period            TEXT NOT NULL,
    period_start      TEXT NOT NULL,
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    table_json        TEXT,
    attachments       TEXT NOT NULL DEFAULT '[]',
    prepared_by_name  TEXT NOT NULL,
    approved_by_name  TEXT,
    published_by      BIGINT,
    published_by_name TEXT NOT NULL,
    published_at      TEXT NOT NULL,
    supersedes        BIGINT UNIQUE REFERENCES disclosures (id),
    draft_id          BIGINT UNIQUE
);
CREATE INDEX disclosures_unit ON disclosures (unit_code, category, period_start);
CREATE INDEX disclosures_township ON disclosures (township_code, category);
CREATE INDEX disclosures_county ON disclosures (county_code, category);
CREATE INDEX disclosures_published ON disclosures (unit_code, published_at);

--sqlite CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures BEGIN SELECT RAISE(ABORT, 'a published disclosure is final: publish a correction'); END;
--sqlite CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures BEGIN SELECT RAISE(ABORT, 'a published disclosure is final: publish a correction'); END;
--pg CREATE FUNCTION disclosures_final() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'a published disclosure is final: publish a correction'; END $$;
--pg CREATE TRIGGER disclosures_no_change BEFORE UPDATE OR DELETE ON disclosures FOR EACH ROW EXECUTE FUNCTION disclosures_final();

CREATE TABLE disclosure_drafts (
    id               {{id}},
    unit_code        TEXT NOT NULL REFERENCES units (code),
    module           TEXT NOT NULL,
    category         TEXT NOT NULL,
    period           TEXT NOT NULL,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    table_json       TEXT,
    supersedes       BIGINT REFERENCES disclosures (id),
    prepared_by      BIGINT NOT NULL,
    prepared_by_name TEXT NOT NULL,
    prepared_at      TEXT NOT NULL,
    approved_by      BIGINT,
    approved_by_name TEXT,
    approved_at      TEXT,
    published_id     BIGINT UNIQUE REFERENCES disclosures (id),
    attachments      TEXT NOT NULL DEFAULT '[]',
    updated_at       TEXT NOT NULL,
    -- The second person is never the first (checked again here under any race).
    CHECK (approved_by IS NULL OR approved_by <> prepared_by)
);
CREATE INDEX disclosure_drafts_unit ON disclosure_drafts (unit_code, published_id);

-- Villagers' accounts (role villager), each bound to one registry member: matched by the keyed
-- hash of the resident ID and the name, or confirmed in person by a cadre. No foreign key on the
-- member: a household re-import replaces its members' rows (the account keeps its household).
CREATE TABLE villager_links (
    user_id       BIGINT PRIMARY KEY REFERENCES users (id),
    member_id     BIGINT NOT NULL UNIQUE,
    household_id  BIGINT NOT NULL,
    village_code  TEXT NOT NULL,
    phone_cipher  TEXT NOT NULL,
    phone_masked  TEXT NOT NULL,
    verified_by   TEXT NOT NULL,
    inbox_seen_at TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX villager_links_village ON villager_links (village_code);

-- Registrations that did not match the registry, waiting for a cadre's check in person.
CREATE TABLE villager_requests (
    id            {{id}},
    village_code  TEXT NOT NULL,
    name          TEXT NOT NULL,
    id_hash       TEXT NOT NULL,
    id_masked     TEXT NOT NULL,
    phone_cipher  TEXT NOT NULL,
    phone_masked  TEXT NOT NULL,
    phone_hash    TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    decided_by    TEXT,
    decided_at    TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX villager_requests_village ON villager_requests (village_code, status);

-- Registration attempts per address (throttling guesses of resident IDs).
CREATE TABLE registration_attempts (
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX registration_attempts_ip ON registration_attempts (ip, at);

-- Villagers' questions and comments on a module or a disclosure, and the cadres' answers.
CREATE TABLE disclosure_messages (
    id               {{id}},
    village_code     TEXT NOT NULL,
    township_code    TEXT NOT NULL,
    module           TEXT NOT NULL,
    disclosure_id    BIGINT REFERENCES disclosures (id),
    author_id        BIGINT NOT NULL REFERENCES users (id),
    author_name      TEXT NOT NULL,
    kind             TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    answer           TEXT,
    answered_by_name TEXT,
    answered_at      TEXT
);
CREATE INDEX disclosure_messages_village ON disclosure_messages (village_code, answered_at);
CREATE INDEX disclosure_messages_township ON disclosure_messages (township_code, answered_at);
CREATE INDEX disclosure_messages_author ON disclosure_messages (author_id);

-- Witnesses' cosignatures of the log's checkpoints (one line per witness and size), served
-- with the checkpoint they sign.
CREATE TABLE log_cosignatures (
    size       BIGINT NOT NULL,
    witness    TEXT NOT NULL,
    line       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (size, witness)
);

-- Views per disclosure, counted without storing who (added up in memory, written in batches).
CREATE TABLE disclosure_views (
    disclosure_id BIGINT PRIMARY KEY REFERENCES disclosures (id),
    views         BIGINT NOT NULL
);

-- Attachments (PDF, JPEG, PNG), stored once by their SHA-256 (base64 text: one schema for both
-- engines); a disclosure lists the hashes, which its log leaf commits to. Never changed.
CREATE TABLE disclosure_files (
    sha256     TEXT PRIMARY KEY,
    mime       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    name       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
--sqlite CREATE TRIGGER disclosure_files_no_update BEFORE UPDATE ON disclosure_files BEGIN SELECT RAISE(ABORT, 'an attachment is final'); END;
--sqlite CREATE TRIGGER disclosure_files_no_delete BEFORE DELETE ON disclosure_files BEGIN SELECT RAISE(ABORT, 'an attachment is final'); END;
--pg CREATE TRIGGER disclosure_files_no_change BEFORE UPDATE OR DELETE ON disclosure_files FOR EACH ROW EXECUTE FUNCTION disclosures_final();
