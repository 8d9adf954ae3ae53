use crate::{now_text, Result};
use sqlx::{AnyConnection, Row};

pub async fn insert(
    conn: &mut AnyConnection,
    user_id: i64,
    name: &str,
    token_hash: &str,
    expires_at: Option<&str>,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(now_text())
    .bind(expires_at)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// A live token: its user, and when it was last marked used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveToken {
    pub user_id: i64,
    pub last_used_at: Option<String>,
}

/// The user of a live token. Reads only: marking it used is [`touch`], done apart from the
/// request (a read must never wait for, or fail on, a write lock).
pub async fn user_of(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<LiveToken>> {
    let row = sqlx::query(
        "SELECT user_id, last_used_at FROM api_tokens WHERE token_hash = $1 \
         AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(token_hash)
    .bind(now_text())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(LiveToken {
        user_id: row.try_get(0)?,
        last_used_at: row.try_get(1)?,
    }))
}

/// Marks a token used now unless it was marked since `stale_before` (so a client polling every
/// 100 ms writes at most once per interval). Returns rows changed.
pub async fn touch(conn: &mut AnyConnection, token_hash: &str, stale_before: &str) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 \
         AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(now_text())
    .bind(token_hash)
    .bind(stale_before)
    .execute(conn)
    .await?
    .rows_affected())
}
