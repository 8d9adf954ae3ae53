//! Idempotency keys of API writes (see migration 0008). A key row is inserted by the
//! request's own write transaction ([`insert_written`]), so the write and its key commit
//! together or not at all; the answer is stored after, in a statement of its own.

use crate::rows::{AnyQuery, Run};
use crate::Result;
use sqlx::{AnyConnection, Row};

/// Which request a key belongs to: the account, the key and the route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyScope<'a> {
    pub user_id: i64,
    pub key: &'a str,
    pub method: &'a str,
    pub path: &'a str,
}

/// A stored key: the request's fingerprint and, once finished, its response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    pub id: i64,
    pub fingerprint: String,
    pub expires_at: String,
    pub created_at: String,
    /// The server process that runs (or ran) the request.
    pub owner: String,
    /// The request's write transaction committed.
    pub written: bool,
    /// `None` while the first request is still running (or died before answering).
    pub response: Option<StoredResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: i64,
    pub content_type: Option<String>,
    pub location: Option<String>,
    /// As the application layer wrote it (encrypted).
    pub body: String,
}

impl StoredResponse {
    /// Binds status, content type, location and body, in that order.
    fn bind<'q>(&'q self, q: AnyQuery<'q>) -> AnyQuery<'q> {
        q.bind(self.status)
            .bind(self.content_type.as_deref())
            .bind(self.location.as_deref())
            .bind(self.body.as_str())
    }
}

/// Inserts the key unless it exists; `Some(id)` when this call took it.
pub async fn claim(
    conn: &mut AnyConnection,
    k: &KeyScope<'_>,
    fingerprint: &str,
    owner: &str,
    now: &str,
    expires_at: &str,
) -> Result<Option<i64>> {
    insert_key(
        conn,
        "INSERT INTO idempotency_keys (user_id, idem_key, method, path, fingerprint, owner, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (user_id, idem_key, method, path) DO NOTHING RETURNING id",
        k,
        [fingerprint, owner, now, expires_at],
    )
    .await
}

/// The columns [`stored_key`] reads, in order, under `alias` (a table name or alias).
pub(crate) fn key_columns(alias: &str) -> String {
    [
        "id",
        "fingerprint",
        "expires_at",
        "status",
        "content_type",
        "location",
        "body",
        "created_at",
        "owner",
        "written",
    ]
    .iter()
    .map(|c| format!("{alias}.{c} AS k_{c}"))
    .collect::<Vec<_>>()
    .join(", ")
}

pub async fn find(conn: &mut AnyConnection, k: &KeyScope<'_>) -> Result<Option<StoredKey>> {
    let sql = format!(
        "SELECT {} FROM idempotency_keys k \
         WHERE user_id = $1 AND idem_key = $2 AND method = $3 AND path = $4",
        key_columns("k")
    );
    let row = k.bind(sqlx::query(&sql)).fetch_optional(conn).await?;
    match row {
        Some(r) => stored_key(&r, 0),
        None => Ok(None),
    }
}

/// The key read by [`key_columns`] from column `at` on; `None` when the row has none (a LEFT
/// JOIN that found no key).
pub(crate) fn stored_key(r: &sqlx::any::AnyRow, at: usize) -> Result<Option<StoredKey>> {
    let Some(id) = r.try_get::<Option<i64>, _>(at)? else {
        return Ok(None);
    };
    let status: Option<i64> = r.try_get(at + 3)?;
    let response = match status {
        Some(status) => Some(StoredResponse {
            status,
            content_type: r.try_get(at + 4)?,
            location: r.try_get(at + 5)?,
            body: r.try_get::<Option<String>, _>(at + 6)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Some(StoredKey {
        id,
        fingerprint: r.try_get(at + 1)?,
        expires_at: r.try_get(at + 2)?,
        created_at: r.try_get(at + 7)?,
        owner: r.try_get(at + 8)?,
        written: r.try_get::<i64, _>(at + 9)? != 0,
        response,
    }))
}

/// The key insert of [`insert_written`] (a macro so that [`crate::audit::append_keyed`] can
/// put it in one statement batch with the audit entry).
macro_rules! insert_written_sql {
    () => {
        "INSERT INTO idempotency_keys (user_id, idem_key, method, path, fingerprint, owner, created_at, expires_at, written) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) \
         ON CONFLICT (user_id, idem_key, method, path) DO UPDATE SET written = 1 \
         WHERE idempotency_keys.owner = excluded.owner RETURNING id"
    };
}
pub(crate) use insert_written_sql;

/// Inside the request's write transaction: inserts the key as written, owned by `owner` (one
/// request). `Some(id)` when inserted, or when the row is already this request's (a second
/// write of the same transaction); `None` when another request holds the key — its
/// transaction committed first, or is still running on PostgreSQL and wins (this insert waits
/// for it), so this one must write nothing.
pub async fn insert_written(
    conn: &mut AnyConnection,
    k: &KeyScope<'_>,
    fingerprint: &str,
    owner: &str,
    now: &str,
    expires_at: &str,
) -> Result<Option<i64>> {
    insert_key(
        conn,
        insert_written_sql!(),
        k,
        [fingerprint, owner, now, expires_at],
    )
    .await
}

/// The key row a keyed request's write transaction inserts (see [`insert_written`] and
/// [`crate::audit::append_keyed`]).
#[derive(Debug, Clone)]
pub struct WrittenKey<'a> {
    pub scope: KeyScope<'a>,
    pub fingerprint: &'a str,
    pub owner: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
}

impl<'a> WrittenKey<'a> {
    pub async fn insert(&self, conn: &mut AnyConnection) -> Result<Option<i64>> {
        insert_written(
            conn,
            &self.scope,
            self.fingerprint,
            self.owner,
            self.now,
            self.expires_at,
        )
        .await
    }

    /// Binds the eight values of [`insert_written_sql`], in order.
    pub(crate) fn bind<'q>(&self, q: AnyQuery<'q>) -> AnyQuery<'q>
    where
        'a: 'q,
    {
        self.scope
            .bind(q)
            .bind(self.fingerprint)
            .bind(self.owner)
            .bind(self.now)
            .bind(self.expires_at)
    }
}

impl<'a> KeyScope<'a> {
    /// Binds the four values naming the key (`$1..$4` of every statement here).
    fn bind<'q>(&self, q: AnyQuery<'q>) -> AnyQuery<'q>
    where
        'a: 'q,
    {
        q.bind(self.user_id)
            .bind(self.key)
            .bind(self.method)
            .bind(self.path)
    }
}

/// Runs one of the key inserts above (same eight values, different conflict rule).
async fn insert_key(
    conn: &mut AnyConnection,
    sql: &str,
    k: &KeyScope<'_>,
    [fingerprint, owner, now, expires_at]: [&str; 4],
) -> Result<Option<i64>> {
    k.bind(sqlx::query(sql))
        .bind(fingerprint)
        .bind(owner)
        .bind(now)
        .bind(expires_at)
        .read_optional(conn)
        .await
}

/// Keeps the answer of a request that owns its key: on its key row when its write inserted
/// one, else (it wrote nothing, or its write was rolled back) on a new row. `false` when
/// another request holds the key.
#[allow(clippy::too_many_arguments)]
pub async fn keep_response(
    conn: &mut AnyConnection,
    k: &KeyScope<'_>,
    fingerprint: &str,
    owner: &str,
    now: &str,
    expires_at: &str,
    res: &StoredResponse,
) -> Result<bool> {
    let q = k.bind(sqlx::query(
        "INSERT INTO idempotency_keys (user_id, idem_key, method, path, fingerprint, owner, created_at, expires_at, status, content_type, location, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (user_id, idem_key, method, path) DO UPDATE SET status = excluded.status, \
         content_type = excluded.content_type, location = excluded.location, body = excluded.body \
         WHERE idempotency_keys.owner = excluded.owner",
    ))
    .bind(fingerprint)
    .bind(owner)
    .bind(now)
    .bind(expires_at);
    Ok(res.bind(q).run(conn).await? == 1)
}

/// Stores the response of a claimed key.
pub async fn complete(conn: &mut AnyConnection, id: i64, res: &StoredResponse) -> Result<()> {
    let q = sqlx::query(
        "UPDATE idempotency_keys SET status = $1, content_type = $2, location = $3, body = $4 WHERE id = $5",
    );
    res.bind(q).bind(id).run(conn).await?;
    Ok(())
}

/// Marks the key's request as written; run inside the request's own write transaction.
/// Repeats in the same transaction change nothing (no new row version on PostgreSQL).
pub async fn mark_written(conn: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE idempotency_keys SET written = 1 WHERE id = $1 AND written = 0")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes over the key of a request whose process died before writing; `true` if this call
/// got it (two retries cannot both).
pub async fn take_over(
    conn: &mut AnyConnection,
    id: i64,
    dead_owner: &str,
    owner: &str,
    now: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE idempotency_keys SET owner = $1, created_at = $2 \
         WHERE id = $3 AND owner = $4 AND status IS NULL AND written = 0",
    )
    .bind(owner)
    .bind(now)
    .bind(id)
    .bind(dead_owner)
    .run(conn)
    .await?;
    Ok(done == 1)
}

/// Removes the unwritten claim of a request whose process died before writing (left by a
/// server of the earlier design, which claimed keys before running); `true` if removed.
pub async fn drop_dead_claim(conn: &mut AnyConnection, id: i64, dead_owner: &str) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM idempotency_keys WHERE id = $1 AND owner = $2 AND status IS NULL AND written = 0",
    )
    .bind(id)
    .bind(dead_owner)
    .run(conn)
    .await?;
    Ok(done == 1)
}

/// Gives a claimed key back (the request wrote nothing, so a retry may run it afresh).
pub async fn release(conn: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM idempotency_keys WHERE id = $1 AND status IS NULL AND written = 0")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes keys whose 24 hours are over; returns how many.
pub async fn purge_expired(conn: &mut AnyConnection, now: &str) -> Result<u64> {
    sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1")
        .bind(now)
        .run(conn)
        .await
}

/// Deletes one key if it has expired (so the same key can be claimed again).
pub async fn drop_if_expired(conn: &mut AnyConnection, id: i64, now: &str) -> Result<()> {
    sqlx::query("DELETE FROM idempotency_keys WHERE id = $1 AND expires_at <= $2")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
