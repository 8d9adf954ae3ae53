-- Accounts hardening (issue 7): sessions end after an idle time, so each remembers when it was
-- last seen (updated at most once a minute); login delays are counted per (username, address).
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX login_failures_pair ON login_failures (username, ip, at);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
