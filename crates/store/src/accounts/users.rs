use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

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

pub(crate) fn from_row(r: &AnyRow) -> Result<UserRow> {
    Ok(UserRow {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
        unit_code: r.try_get("unit_code")?,
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

const COLS: &str = "id, username, display_name, password_hash, role, unit_code, active";

pub async fn insert(conn: &mut AnyConnection, u: &UserRow) -> Result<i64> {
    let row = sqlx::query(
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
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn by_username(conn: &mut AnyConnection, username: &str) -> Result<Option<UserRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM users WHERE username = $1"))
        .bind(username)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<UserRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn set_password(conn: &mut AnyConnection, id: i64, hash: &str) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// Accounts bound inside a unit subtree (or all, for the empty prefix).
pub async fn list_in(conn: &mut AnyConnection, prefix: &str) -> Result<Vec<UserRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM users WHERE COALESCE(unit_code, '') LIKE $1 ORDER BY username"
    ))
    .bind(format!("{prefix}%"))
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
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

/// Failed logins since `since`: how many, and the first and last instant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub first_at: Option<String>,
    pub last_at: Option<String>,
}

fn failures_of(r: &AnyRow) -> Result<Failures> {
    Ok(Failures {
        count: r.try_get(0)?,
        first_at: r.try_get(1)?,
        last_at: r.try_get(2)?,
    })
}

/// Failed logins for this username from this address since `since`.
pub async fn failures_of_pair(
    conn: &mut AnyConnection,
    username: &str,
    ip: &str,
    since: &str,
) -> Result<Failures> {
    let row = sqlx::query(
        "SELECT COUNT(*), MIN(at), MAX(at) FROM login_failures WHERE username = $1 AND ip = $2 AND at >= $3",
    )
    .bind(username)
    .bind(ip)
    .bind(since)
    .fetch_one(conn)
    .await?;
    failures_of(&row)
}

/// Failed logins from this address, whatever the username, since `since`.
pub async fn failures_from(conn: &mut AnyConnection, ip: &str, since: &str) -> Result<Failures> {
    let row = sqlx::query(
        "SELECT COUNT(*), MIN(at), MAX(at) FROM login_failures WHERE ip = $1 AND at >= $2",
    )
    .bind(ip)
    .bind(since)
    .fetch_one(conn)
    .await?;
    failures_of(&row)
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
