-- The transparency log (RFC 9162 Merkle tree; see domain::transparency). Entries are the exact
-- bytes of what was published; nodes are the hashes of perfect subtrees (level, index), written
-- once when complete, so a proof reads O(log n) rows and nothing rebuilds the tree; checkpoints
-- are the signed notes the log has issued (never two inconsistent ones: each new one is for a
-- larger size of the same append-only tree). All three refuse UPDATE and DELETE, like the audit
-- log: a row changed behind the application's back is found by `grassroots log audit`.
CREATE TABLE log_state (
    id   BIGINT PRIMARY KEY,
    size BIGINT NOT NULL
);
INSERT INTO log_state (id, size) VALUES (1, 0);

CREATE TABLE log_entries (
    idx        BIGINT PRIMARY KEY,
    kind       TEXT NOT NULL,
    unit_code  TEXT NOT NULL,
    ref_id     BIGINT,
    leaf       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX log_entries_ref ON log_entries (kind, ref_id);
CREATE INDEX log_entries_unit ON log_entries (unit_code);

CREATE TABLE log_nodes (
    level BIGINT NOT NULL,
    idx   BIGINT NOT NULL,
    hash  TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE log_checkpoints (
    size       BIGINT PRIMARY KEY,
    root       TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

--sqlite CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries BEGIN SELECT RAISE(ABORT, 'the transparency log is append-only'); END;
--sqlite CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries BEGIN SELECT RAISE(ABORT, 'the transparency log is append-only'); END;
--sqlite CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes BEGIN SELECT RAISE(ABORT, 'the transparency log is append-only'); END;
--sqlite CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes BEGIN SELECT RAISE(ABORT, 'the transparency log is append-only'); END;
--sqlite CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'the transparency log is append-only'); END;
--sqlite CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'the transparency log is append-only'); END;
--pg CREATE FUNCTION log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the transparency log is append-only'; END $$;
--pg CREATE TRIGGER log_entries_no_change BEFORE UPDATE OR DELETE ON log_entries FOR EACH ROW EXECUTE FUNCTION log_append_only();
--pg CREATE TRIGGER log_nodes_no_change BEFORE UPDATE OR DELETE ON log_nodes FOR EACH ROW EXECUTE FUNCTION log_append_only();
--pg CREATE TRIGGER log_checkpoints_no_change BEFORE UPDATE OR DELETE ON log_checkpoints FOR EACH ROW EXECUTE FUNCTION log_append_only();
-- The log's size only grows: lowering it would hand out an index twice.
--sqlite CREATE TRIGGER log_state_grows BEFORE UPDATE ON log_state WHEN NEW.size < OLD.size BEGIN SELECT RAISE(ABORT, 'the transparency log only grows'); END;
--sqlite CREATE TRIGGER log_state_no_delete BEFORE DELETE ON log_state BEGIN SELECT RAISE(ABORT, 'the transparency log only grows'); END;
--pg CREATE FUNCTION log_state_grows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' OR NEW.size < OLD.size THEN RAISE EXCEPTION 'the transparency log only grows'; END IF; RETURN NEW; END $$;
--pg CREATE TRIGGER log_state_grows BEFORE UPDATE OR DELETE ON log_state FOR EACH ROW EXECUTE FUNCTION log_state_grows();
