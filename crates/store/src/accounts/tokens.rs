use super::users::UserRow;
use crate::idempotency::StoredKey;
use crate::rows::{row, AnyQuery, FromRow, Run};
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

row! {
    /// An API token as listed (never its value: only its hash is stored).
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct TokenRow {
        pub id: i64,
        pub user_id: i64,
        pub name: String,
        pub created_at: String,
        /// None only for tokens made before expiry was required (they live the default days).
        pub expires_at: Option<String>,
        pub last_used_at: Option<String>,
    }
}

const COLS: &str = "id, user_id, name, created_at, expires_at, last_used_at";

pub async fn insert(
    conn: &mut AnyConnection,
    user_id: i64,
    name: &str,
    token_hash: &str,
    expires_at: Option<&str>,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(now_text())
    .bind(expires_at)
    .read_one(conn)
    .await
}

row! {
    /// A live token: its user, and when it was last marked used.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LiveToken {
        pub user_id: i64,
        pub last_used_at: Option<String>,
    }
}

/// The condition on `api_tokens t` of a live token: its hash `$1`, now `$2` and, for a token
/// without an expiry (made before expiry was required), the oldest creation still live `$3`.
/// Bound by [`bind_live`].
const LIVE: &str =
    "t.token_hash = $1 AND (t.expires_at > $2 OR (t.expires_at IS NULL AND t.created_at > $3))";

fn bind_live<'q>(
    q: AnyQuery<'q>,
    token_hash: &'q str,
    legacy_created_after: &'q str,
) -> AnyQuery<'q> {
    q.bind(token_hash)
        .bind(now_text())
        .bind(legacy_created_after)
}

/// The user of a live token. Reads only: marking it used is [`touch`], done apart from the
/// request (a read must never wait for, or fail on, a write lock). A token without an expiry
/// (made before expiry was required) is live while it was created after `legacy_created_after`.
pub async fn user_of(
    conn: &mut AnyConnection,
    token_hash: &str,
    legacy_created_after: &str,
) -> Result<Option<LiveToken>> {
    let sql = format!("SELECT t.user_id, t.last_used_at FROM api_tokens t WHERE {LIVE}");
    bind_live(sqlx::query(&sql), token_hash, legacy_created_after)
        .read_optional(conn)
        .await
}

/// The user's columns (as [`UserRow`] reads them) and the token's last use, of the live
/// tokens joined to their users.
const LIVE_USER: &str = "SELECT u.id, u.username, u.display_name, u.password_hash, u.role, \
    u.unit_code, u.active, t.last_used_at AS token_last_used_at";

/// A row of [`LIVE_USER`]: the token and its user.
fn live_user(row: &AnyRow) -> Result<(LiveToken, UserRow)> {
    let user = UserRow::from_row(row)?;
    let live = LiveToken {
        user_id: user.id,
        last_used_at: row.try_get("token_last_used_at")?,
    };
    Ok((live, user))
}

/// [`user_of`] with the user's row, in one query (a request's authentication is one round
/// trip to the database).
pub async fn live_user_of(
    conn: &mut AnyConnection,
    token_hash: &str,
    legacy_created_after: &str,
) -> Result<Option<(LiveToken, UserRow)>> {
    let sql =
        format!("{LIVE_USER} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE {LIVE}");
    let row = bind_live(sqlx::query(&sql), token_hash, legacy_created_after)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(live_user).transpose()
}

/// [`live_user_of`] with the account's `Idempotency-Key` row for `key`, `method` and `path`
/// if there is one, in one query: a keyed API write authenticates and looks its key up in one
/// round trip.
pub async fn live_user_and_key(
    conn: &mut AnyConnection,
    token_hash: &str,
    legacy_created_after: &str,
    (key, method, path): (&str, &str, &str),
) -> Result<Option<(LiveToken, UserRow, Option<StoredKey>)>> {
    let sql = format!(
        "{LIVE_USER}, {} FROM api_tokens t JOIN users u ON u.id = t.user_id \
         LEFT JOIN idempotency_keys k ON k.user_id = u.id AND k.idem_key = $4 \
         AND k.method = $5 AND k.path = $6 WHERE {LIVE}",
        crate::idempotency::key_columns("k")
    );
    let row = bind_live(sqlx::query(&sql), token_hash, legacy_created_after)
        .bind(key)
        .bind(method)
        .bind(path)
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let (live, user) = live_user(&row)?;
    Ok(Some((live, user, crate::idempotency::stored_key(&row, 8)?)))
}

/// Marks a token used now unless it was marked since `stale_before` (so a client polling every
/// 100 ms writes at most once per interval). Returns rows changed.
pub async fn touch(conn: &mut AnyConnection, token_hash: &str, stale_before: &str) -> Result<u64> {
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 \
         AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(now_text())
    .bind(token_hash)
    .bind(stale_before)
    .run(conn)
    .await
}

/// A user's tokens, newest first (expired ones included, until revoked).
pub async fn list_for_user(conn: &mut AnyConnection, user_id: i64) -> Result<Vec<TokenRow>> {
    sqlx::query(&format!(
        "SELECT {COLS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"
    ))
    .bind(user_id)
    .read_all(conn)
    .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<TokenRow>> {
    sqlx::query(&format!("SELECT {COLS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<u64> {
    sqlx::query("DELETE FROM api_tokens WHERE id = $1")
        .bind(id)
        .run(conn)
        .await
}

/// Revokes every token of a user (on a password change).
pub async fn delete_for_user(conn: &mut AnyConnection, user_id: i64) -> Result<u64> {
    sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
        .bind(user_id)
        .run(conn)
        .await
}
