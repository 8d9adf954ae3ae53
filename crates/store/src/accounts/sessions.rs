use crate::{now_text, Result};
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: String,
}

pub async fn insert(conn: &mut AnyConnection, s: &SessionRow, ip: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.token_hash)
    .bind(s.user_id)
    .bind(&s.csrf_token)
    .bind(now_text())
    .bind(&s.expires_at)
    .bind(ip)
    .execute(conn)
    .await?;
    Ok(())
}

/// A session that has not expired.
pub async fn get_live(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<SessionRow>> {
    let row = sqlx::query(
        "SELECT token_hash, user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_text())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(SessionRow {
            token_hash: r.try_get(0)?,
            user_id: r.try_get(1)?,
            csrf_token: r.try_get(2)?,
            expires_at: r.try_get(3)?,
        })
    })
    .transpose()
}

pub async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut AnyConnection) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now_text())
        .execute(conn)
        .await?
        .rows_affected())
}

/// Ends a user's sessions, except the one given (the browser that changed the password).
pub async fn delete_for_user(
    conn: &mut AnyConnection,
    user_id: i64,
    except_hash: Option<&str>,
) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(except_hash.unwrap_or(""))
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
