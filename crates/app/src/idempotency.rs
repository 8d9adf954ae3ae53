//! `Idempotency-Key` for API writes: the first response to a key is kept for 24 hours and a
//! retry with the same key gets it back without running the write again.
//!
//! Why the key row is written by the request's own write transaction: the write and its key
//! commit together or not at all, in the one commit (and, on SQLite with `synchronous=FULL`,
//! the one fsync) the write costs anyway. A duplicate running at the same time cannot write
//! twice: its transaction's insert of the key finds the first one's row (on PostgreSQL it
//! waits for the first transaction to end) and it rolls back with 409 "in progress". The row
//! goes in from [`audit::record`](crate::audit::record), which every write calls inside its
//! transaction, and is marked `written`.
//!
//! The answer is stored after the handler returns, in a statement of its own on a connection
//! that does not wait for the disk ([`store::Db::relaxed_write`]): a power cut may lose it (the
//! next durable commit carries it to disk otherwise), and then a retry is told "carried out,
//! answer lost" (409), never run twice. Only successful responses are kept; a request that
//! failed wrote no key, so a retry runs afresh. Bodies are stored encrypted because responses
//! may name people.

use crate::{Actor, App, AppError, Result};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use store::idempotency::{self as keys, KeyScope, StoredResponse};

/// How long a key and its response are kept.
pub const LIFETIME_HOURS: i64 = 24;
/// Longest key accepted (printable ASCII only).
pub const MAX_KEY_LEN: usize = 255;
/// On PostgreSQL several servers may share the database: an unwritten claim of another
/// process is taken over only once it is this old (on SQLite, one server: at once).
pub const TAKEOVER_MINUTES: i64 = 10;

/// This server process, as the owner of the claims it runs.
pub fn instance() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let mut b = [0u8; 12];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut b);
        hex::encode(b)
    })
}

tokio::task_local! {
    static RUNNING: Claim;
}

/// Runs the request holding `claim`, so that its write transaction inserts the key.
pub async fn run_claimed<F: Future>(claim: &Claim, request: F) -> F::Output {
    RUNNING.scope(claim.clone(), request).await
}

/// Inside a write transaction: appends the audit entry and, when a keyed request is running,
/// inserts its key marked written (in one round trip on SQLite, see
/// [`store::audit::append_keyed`]). On every write, not once per request: a transaction that
/// inserted the key may have rolled back (e.g. retried after a PostgreSQL abort), and only the
/// transaction that commits counts. Another request holding the key (a duplicate sent at the
/// same time) → 409, and this transaction must roll back.
pub(crate) async fn append_with_key(
    conn: &mut store::AnyConnection,
    entry: &store::audit::AuditEntry,
) -> Result<()> {
    let Ok(claim) = RUNNING.try_with(Claim::clone) else {
        store::audit::append(conn, entry).await?;
        return Ok(());
    };
    let expires = expiry(&claim.now);
    let key = keys::WrittenKey {
        scope: claim.scope(),
        fingerprint: &claim.fingerprint,
        owner: &claim.owner,
        now: &claim.now,
        expires_at: &expires,
    };
    if store::audit::append_keyed(conn, entry, &key).await? {
        Ok(())
    } else {
        Err(in_progress())
    }
}

fn expiry(now_text: &str) -> String {
    let now = chrono::DateTime::parse_from_rfc3339(now_text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now());
    (now + chrono::Duration::hours(LIFETIME_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A POST carrying an `Idempotency-Key`.
#[derive(Debug, Clone)]
pub struct KeyedRequest<'a> {
    pub key: &'a str,
    pub method: &'a str,
    /// The path without the query string (part of the key's scope).
    pub path: &'a str,
    pub query: Option<&'a str>,
    /// For a multipart body: its boundary, which clients pick afresh on every send and which
    /// is therefore left out of the fingerprint.
    pub multipart_boundary: Option<&'a str>,
    pub body: &'a [u8],
}

/// A response as kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// What to do with a keyed request.
#[derive(Debug)]
pub enum Begin {
    /// Run it; then [`finish`] on success (any other answer wrote no key: nothing to do).
    Proceed(Claim),
    /// It ran before: answer this, write nothing.
    Replay(KeptResponse),
    /// The account has no id (never the case for API callers): run it untracked.
    Untracked,
}

/// A key this request holds while it runs: what its write transaction inserts.
#[derive(Debug, Clone)]
pub struct Claim {
    user_id: i64,
    key: String,
    method: String,
    path: String,
    fingerprint: String,
    /// This server process and this request (so that a duplicate's transaction, even from
    /// the same process, never takes the row for its own).
    owner: String,
    now: String,
}

impl Claim {
    fn scope(&self) -> KeyScope<'_> {
        KeyScope {
            user_id: self.user_id,
            key: &self.key,
            method: &self.method,
            path: &self.path,
        }
    }
}

/// Whether a claim's owner is a request of this server process.
fn of_this_process(owner: &str) -> bool {
    owner == instance()
        || owner
            .strip_prefix(instance())
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Refuses keys that are empty, longer than 255 characters or not printable ASCII.
pub fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| (0x20..0x7f).contains(&b))
    {
        return Err(AppError::BadRequest(
            domain::message::catalogue::IDEMPOTENCY_KEY_FORMAT.with(&[("max", &MAX_KEY_LEN)]),
        ));
    }
    Ok(())
}

/// SHA-256 of method, path, query and body (minus a multipart boundary), as hex.
pub fn fingerprint(req: &KeyedRequest<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        req.method,
        "\n",
        req.path,
        "\n",
        req.query.unwrap_or(""),
        "\n",
    ] {
        h.update(part.as_bytes());
    }
    match req.multipart_boundary.filter(|b| !b.is_empty()) {
        Some(b) => {
            let b = b.as_bytes();
            let mut rest = req.body;
            while let Some(at) = rest.windows(b.len()).position(|w| w == b) {
                h.update(&rest[..at]);
                rest = &rest[at + b.len()..];
            }
            h.update(rest);
        }
        None => h.update(req.body),
    }
    hex::encode(h.finalize())
}

static CALLS: AtomicU64 = AtomicU64::new(0);
static REQUESTS: AtomicU64 = AtomicU64::new(0);

/// What the database holds for a request's key, looked up with its authentication (see
/// [`crate::accounts::actor_and_key_for_token`]).
#[derive(Debug, Clone)]
pub struct Lookup(Option<keys::StoredKey>);

impl Lookup {
    pub(crate) fn new(found: Option<keys::StoredKey>) -> Lookup {
        Lookup(found)
    }
}

/// Looks the key up: a new key → run (its write transaction will insert it); a key used
/// before → its answer again. A different request under the same key → 422; the first
/// request still running → 409.
pub async fn begin(app: &App, actor: &Actor, req: &KeyedRequest<'_>) -> Result<Begin> {
    check_key(req.key)?;
    let Some(user_id) = actor.user_id else {
        return Ok(Begin::Untracked);
    };
    let scope = KeyScope {
        user_id,
        key: req.key,
        method: req.method,
        path: req.path,
    };
    let found = {
        let mut conn = app.db.read().await?;
        keys::find(&mut conn, &scope).await?
    };
    begin_looked_up(app, actor, req, Lookup(found)).await
}

/// [`begin`] with the key already looked up (by the account's user id, the key, method and
/// path of `req`).
pub async fn begin_looked_up(
    app: &App,
    actor: &Actor,
    req: &KeyedRequest<'_>,
    found: Lookup,
) -> Result<Begin> {
    check_key(req.key)?;
    let Some(user_id) = actor.user_id else {
        return Ok(Begin::Untracked);
    };
    let print = fingerprint(req);
    // Expired keys go opportunistically: on the first call and every 100th after.
    // Housekeeping: its failure must not fail the request.
    if CALLS.fetch_add(1, Ordering::Relaxed).is_multiple_of(100) {
        let purged = match app.db.pool.acquire().await {
            Ok(mut conn) => keys::purge_expired(&mut conn, &store::now_text()).await,
            Err(e) => Err(e.into()),
        };
        if let Err(e) = purged {
            tracing::warn!(error = %e, "could not purge expired idempotency keys");
        }
    }
    let now = chrono::Utc::now();
    let now_text = store::now_text();
    let proceed = || {
        Begin::Proceed(Claim {
            user_id,
            key: req.key.to_string(),
            method: req.method.to_string(),
            path: req.path.to_string(),
            fingerprint: print.clone(),
            owner: format!(
                "{}/{}",
                instance(),
                REQUESTS.fetch_add(1, Ordering::Relaxed)
            ),
            now: now_text.clone(),
        })
    };
    let Some(found) = found.0 else {
        return Ok(proceed());
    };
    let acquire = || async { app.db.pool.acquire().await.map_err(store::StoreError::from) };
    if found.expires_at <= now_text {
        keys::drop_if_expired(&mut *acquire().await?, found.id, &now_text).await?;
        return Ok(proceed());
    }
    if found.fingerprint != print {
        return Err(AppError::field(
            "Idempotency-Key",
            domain::message::catalogue::IDEMPOTENCY_KEY_REUSED,
        ));
    }
    if let Some(r) = &found.response {
        return Ok(Begin::Replay(open(app, r)?));
    }
    // Its process still runs it (this one, or on PostgreSQL possibly another server, until
    // the claim is old): wait. Otherwise the process died: written → refuse; an unwritten
    // claim (left by the earlier design, which claimed before running) → drop it and run.
    let stale = (now - chrono::Duration::minutes(TAKEOVER_MINUTES))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let alive = of_this_process(&found.owner)
        || (app.db.backend == store::Backend::Postgres && found.created_at > stale);
    if alive {
        return Err(in_progress());
    }
    if found.written {
        return Err(AppError::Conflict(
            domain::message::catalogue::IDEMPOTENCY_ANSWER_LOST.text(),
        ));
    }
    keys::drop_dead_claim(&mut *acquire().await?, found.id, &found.owner).await?;
    Ok(proceed())
}

fn in_progress() -> AppError {
    AppError::Conflict(domain::message::catalogue::IDEMPOTENCY_IN_PROGRESS.text())
}

/// Keeps the successful response of a claimed key for replay, without waiting for the disk
/// (see the module documentation).
pub async fn finish(app: &App, claim: Claim, res: &KeptResponse) -> Result<()> {
    let plain = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&res.body);
    let stored = StoredResponse {
        status: i64::from(res.status),
        content_type: res.content_type.clone(),
        location: res.location.clone(),
        body: app.cipher.encrypt(&plain)?,
    };
    let mut conn = app.db.relaxed_write().await?;
    let expires = expiry(&claim.now);
    keys::keep_response(
        &mut conn,
        &claim.scope(),
        &claim.fingerprint,
        &claim.owner,
        &claim.now,
        &expires,
        &stored,
    )
    .await?;
    Ok(())
}

fn open(app: &App, r: &StoredResponse) -> Result<KeptResponse> {
    let plain = app.cipher.decrypt(&r.body)?;
    let body = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(plain)
        .map_err(|_| AppError::Internal("a stored idempotent response is unreadable".into()))?;
    Ok(KeptResponse {
        status: u16::try_from(r.status)
            .map_err(|_| AppError::Internal("a stored idempotent status is out of range".into()))?,
        content_type: r.content_type.clone(),
        location: r.location.clone(),
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(body: &'a [u8], boundary: Option<&'a str>) -> KeyedRequest<'a> {
        KeyedRequest {
            key: "k",
            method: "POST",
            path: "/api/v1/x",
            query: None,
            multipart_boundary: boundary,
            body,
        }
    }

    #[test]
    fn keys_are_short_printable_ascii() {
        assert!(check_key("retry-2024-01-01_ab:CD").is_ok());
        assert!(check_key(&"a".repeat(255)).is_ok());
        assert!(check_key("").is_err());
        assert!(check_key(&"a".repeat(256)).is_err());
        assert!(check_key("键").is_err());
        assert!(check_key("a\tb").is_err());
    }

    #[test]
    fn fingerprint_ignores_only_the_multipart_boundary() {
        let a = fingerprint(&req(b"--AAA\r\nx=1\r\n--AAA--", Some("AAA")));
        let b = fingerprint(&req(b"--BBBB\r\nx=1\r\n--BBBB--", Some("BBBB")));
        let c = fingerprint(&req(b"--BBBB\r\nx=2\r\n--BBBB--", Some("BBBB")));
        assert_eq!(a, b);
        assert_ne!(b, c);
        assert_ne!(
            fingerprint(&req(b"{}", None)),
            fingerprint(&req(b"[]", None))
        );
    }
}
