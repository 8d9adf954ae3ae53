use crate::rows::{row, Run};
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct UserRow {
        pub id: i64,
        pub username: String,
        pub display_name: String,
        pub password_hash: String,
        pub role: String,
        pub unit_code: Option<String>,
        pub active: bool,
    }
}

const COLS: &str = "id, username, display_name, password_hash, role, unit_code, active";

pub async fn insert(conn: &mut AnyConnection, u: &UserRow) -> Result<i64> {
    sqlx::query(
        "INSERT INTO users (username, display_name, password_hash, role, unit_code, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(&u.role)
    .bind(u.unit_code.as_deref())
    .bind(i64::from(u.active))
    .bind(now_text())
    .read_one(conn)
    .await
}

pub async fn by_username(conn: &mut AnyConnection, username: &str) -> Result<Option<UserRow>> {
    sqlx::query(&format!("SELECT {COLS} FROM users WHERE username = $1"))
        .bind(username)
        .read_optional(conn)
        .await
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<UserRow>> {
    sqlx::query(&format!("SELECT {COLS} FROM users WHERE id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

pub async fn set_password(conn: &mut AnyConnection, id: i64, hash: &str) -> Result<u64> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .run(conn)
        .await
}

/// Accounts bound inside a unit subtree (or all, for the empty prefix).
pub async fn list_in(conn: &mut AnyConnection, prefix: &str) -> Result<Vec<UserRow>> {
    sqlx::query(&format!(
        "SELECT {COLS} FROM users WHERE COALESCE(unit_code, '') LIKE $1 ORDER BY username"
    ))
    .bind(format!("{prefix}%"))
    .read_all(conn)
    .await
}

/// Records a failed login for throttling.
pub async fn record_failure(conn: &mut AnyConnection, username: &str, ip: &str) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)")
        .bind(username)
        .bind(ip)
        .bind(now_text())
        .execute(conn)
        .await?;
    Ok(())
}

row! {
    /// Failed logins since `since`: how many, and the first and last instant.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Failures {
        pub count: i64,
        pub first_at: Option<String>,
        pub last_at: Option<String>,
    }
}

/// Failed logins for this username from this address since `since`.
pub async fn failures_of_pair(
    conn: &mut AnyConnection,
    username: &str,
    ip: &str,
    since: &str,
) -> Result<Failures> {
    sqlx::query(
        "SELECT COUNT(*), MIN(at), MAX(at) FROM login_failures WHERE username = $1 AND ip = $2 AND at >= $3",
    )
    .bind(username)
    .bind(ip)
    .bind(since)
    .read_one(conn)
    .await
}

/// Failed logins from this address, whatever the username, since `since`.
pub async fn failures_from(conn: &mut AnyConnection, ip: &str, since: &str) -> Result<Failures> {
    sqlx::query("SELECT COUNT(*), MIN(at), MAX(at) FROM login_failures WHERE ip = $1 AND at >= $2")
        .bind(ip)
        .bind(since)
        .read_one(conn)
        .await
}

/// Forgets the failures of one (username, address) pair after it logged in.
pub async fn clear_failures(conn: &mut AnyConnection, username: &str, ip: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1 AND ip = $2")
        .bind(username)
        .bind(ip)
        .execute(conn)
        .await?;
    Ok(())
}
