-- Idempotency keys of API writes: the first response to (account, key, method + path) is kept
-- for 24 hours and replayed to a retry. The row is inserted before the request runs, so the
-- unique constraint is the lock that turns a concurrent duplicate away; `status` stays NULL
-- until the response is stored. `owner` names the server process running the request and
-- `written` is set inside the request's own write transaction, so after a crash a retry can
-- tell "never written" (run it again) from "written, answer lost" (refuse).
-- The response body is stored encrypted (it may name people).
CREATE TABLE idempotency_keys (
    id           {{id}},
    user_id      BIGINT NOT NULL,
    idem_key     TEXT NOT NULL,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    owner        TEXT NOT NULL,
    written      BIGINT NOT NULL DEFAULT 0,
    status       BIGINT,
    content_type TEXT,
    location     TEXT,
    body         TEXT,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    UNIQUE (user_id, idem_key, method, path)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
