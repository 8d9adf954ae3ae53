//! Villagers' accounts bound to registry members, registrations waiting for a cadre, and the
//! attempts counted to throttle guessing (migration 0021).

use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The registry member a resident ID hash and a name name in a village, if any.
pub async fn match_member(
    conn: &mut AnyConnection,
    village: &str,
    id_hash: &str,
    name: &str,
) -> Result<Option<(i64, i64)>> {
    let row = sqlx::query(
        "SELECT m.id, m.household_id FROM members m JOIN households h ON h.id = m.household_id \
         WHERE h.village_code = $1 AND m.id_hash = $2 AND m.name = $3",
    )
    .bind(village)
    .bind(id_hash)
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub user_id: i64,
    pub member_id: i64,
    pub household_id: i64,
    pub village_code: String,
    pub phone_masked: String,
    pub verified_by: String,
    pub inbox_seen_at: String,
}

fn link(r: &AnyRow) -> Result<Link> {
    Ok(Link {
        user_id: r.try_get("user_id")?,
        member_id: r.try_get("member_id")?,
        household_id: r.try_get("household_id")?,
        village_code: r.try_get("village_code")?,
        phone_masked: r.try_get("phone_masked")?,
        verified_by: r.try_get("verified_by")?,
        inbox_seen_at: r.try_get("inbox_seen_at")?,
    })
}

/// Binds an account to a member; a member bound already fails on the UNIQUE (a conflict).
pub async fn insert_link(conn: &mut AnyConnection, l: &Link, phone_cipher: &str) -> Result<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO villager_links (user_id, member_id, household_id, village_code, phone_cipher, \
         phone_masked, verified_by, inbox_seen_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(l.user_id)
    .bind(l.member_id)
    .bind(l.household_id)
    .bind(&l.village_code)
    .bind(phone_cipher)
    .bind(&l.phone_masked)
    .bind(&l.verified_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn link_of(conn: &mut AnyConnection, user_id: i64) -> Result<Option<Link>> {
    let row = sqlx::query("SELECT * FROM villager_links WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(link).transpose()
}

pub async fn member_linked(conn: &mut AnyConnection, member_id: i64) -> Result<bool> {
    let row = sqlx::query("SELECT 1 FROM villager_links WHERE member_id = $1")
        .bind(member_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

pub async fn mark_inbox_seen(conn: &mut AnyConnection, user_id: i64, at: &str) -> Result<()> {
    sqlx::query("UPDATE villager_links SET inbox_seen_at = $1 WHERE user_id = $2")
        .bind(at)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Verified villagers of a subtree and the households they cover.
pub async fn counts(conn: &mut AnyConnection, village: &str) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT COUNT(*), COUNT(DISTINCT household_id) FROM villager_links WHERE village_code = $1",
    )
    .bind(village)
    .fetch_one(conn)
    .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// Counts this address's attempts since `since` and records one more, in one transaction.
pub async fn attempt(conn: &mut AnyConnection, ip: &str, since: &str) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) FROM registration_attempts WHERE ip = $1 AND at >= $2")
        .bind(ip)
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO registration_attempts (ip, at) VALUES ($1, $2)")
        .bind(ip)
        .bind(now_text())
        .execute(conn)
        .await?;
    Ok(row.try_get(0)?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: i64,
    pub village_code: String,
    pub name: String,
    pub id_hash: String,
    pub id_masked: String,
    pub phone_cipher: String,
    pub phone_masked: String,
    pub password_hash: String,
    pub status: String,
    pub created_at: String,
}

fn request(r: &AnyRow) -> Result<Request> {
    Ok(Request {
        id: r.try_get("id")?,
        village_code: r.try_get("village_code")?,
        name: r.try_get("name")?,
        id_hash: r.try_get("id_hash")?,
        id_masked: r.try_get("id_masked")?,
        phone_cipher: r.try_get("phone_cipher")?,
        phone_masked: r.try_get("phone_masked")?,
        password_hash: r.try_get("password_hash")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_request(
    conn: &mut AnyConnection,
    q: &Request,
    phone_hash: &str,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO villager_requests (village_code, name, id_hash, id_masked, phone_cipher, \
         phone_masked, phone_hash, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&q.village_code)
    .bind(&q.name)
    .bind(&q.id_hash)
    .bind(&q.id_masked)
    .bind(&q.phone_cipher)
    .bind(&q.phone_masked)
    .bind(phone_hash)
    .bind(&q.password_hash)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn pending_requests(conn: &mut AnyConnection, root: &str) -> Result<Vec<Request>> {
    let sql = "SELECT * FROM villager_requests WHERE status = 'pending' \
               AND village_code BETWEEN $1 AND $2 ORDER BY id LIMIT 200";
    let rows = crate::sqlbuild::bind_subtree(sqlx::query(sql), root)
        .fetch_all(conn)
        .await?;
    rows.iter().map(request).collect()
}

pub async fn request_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Request>> {
    let row = sqlx::query("SELECT * FROM villager_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(request).transpose()
}

/// Closes a pending request; `false` when it was decided meanwhile.
pub async fn decide_request(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    by: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE villager_requests SET status = $1, decided_by = $2, decided_at = $3 \
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(status)
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Members of a village with this name (candidates a cadre picks from after a face check):
/// (member id, household number, relation, masked resident ID).
pub async fn members_named(
    conn: &mut AnyConnection,
    village: &str,
    name: &str,
) -> Result<Vec<(i64, String, String, String)>> {
    let rows = sqlx::query(
        "SELECT m.id, h.household_no, m.relation, COALESCE(m.id_masked, '') FROM members m \
         JOIN households h ON h.id = m.household_id WHERE h.village_code = $1 AND m.name = $2 \
         ORDER BY h.household_no LIMIT 20",
    )
    .bind(village)
    .bind(name)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect()
}
