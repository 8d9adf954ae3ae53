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

/// The user of a live token, marking it used.
pub async fn user_of(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<i64>> {
    let now = now_text();
    let row = sqlx::query(
        "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(token_hash)
    .bind(&now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
        .bind(&now)
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(Some(row.try_get(0)?))
}
