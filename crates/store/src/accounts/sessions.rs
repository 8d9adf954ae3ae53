use crate::rows::{row, Run};
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SessionRow {
        pub token_hash: String,
        pub user_id: i64,
        pub csrf_token: String,
        pub expires_at: String,
        pub created_at: String,
        pub last_seen_at: String,
    }
}

pub async fn insert(conn: &mut AnyConnection, s: &SessionRow, ip: &str) -> Result<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&s.token_hash)
    .bind(s.user_id)
    .bind(&s.csrf_token)
    .bind(&now)
    .bind(&s.expires_at)
    .bind(ip)
    .bind(&now)
    .execute(conn)
    .await?;
    Ok(())
}

/// When a session counts as live: not past its expiry, created after `created_after` (the
/// absolute lifetime) and seen after `seen_after` (the idle timeout). Instants as stored text.
#[derive(Debug, Clone)]
pub struct Liveness {
    pub now: String,
    pub created_after: String,
    pub seen_after: String,
}

/// A live session.
pub async fn get_live(
    conn: &mut AnyConnection,
    token_hash: &str,
    live: &Liveness,
) -> Result<Option<SessionRow>> {
    sqlx::query(
        "SELECT token_hash, user_id, csrf_token, expires_at, created_at, last_seen_at FROM sessions \
         WHERE token_hash = $1 AND expires_at > $2 AND created_at > $3 AND last_seen_at > $4",
    )
    .bind(token_hash)
    .bind(&live.now)
    .bind(&live.created_after)
    .bind(&live.seen_after)
    .read_optional(conn)
    .await
}

/// Marks a session seen now, unless another request already did since `unless_after` (so
/// concurrent requests of one browser write once).
pub async fn touch(conn: &mut AnyConnection, token_hash: &str, unless_after: &str) -> Result<u64> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $3")
        .bind(now_text())
        .bind(token_hash)
        .bind(unless_after)
        .run(conn)
        .await
}

pub async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes sessions past their expiry or idle since `seen_before`.
pub async fn delete_expired(conn: &mut AnyConnection, seen_before: &str) -> Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now_text())
        .bind(seen_before)
        .run(conn)
        .await
}

/// Ends a user's sessions, except the one given (the browser that changed the password).
pub async fn delete_for_user(
    conn: &mut AnyConnection,
    user_id: i64,
    except_hash: Option<&str>,
) -> Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(except_hash.unwrap_or(""))
        .run(conn)
        .await
}
