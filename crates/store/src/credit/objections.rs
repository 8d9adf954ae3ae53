//! Objections during publicity and corrections after final (append-only).

use crate::rows::{row, Run};
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ObjectionRow {
        pub id: i64,
        pub round_id: i64,
        pub household_id: i64,
        pub household_no: String,
        pub village_code: String,
        pub raised_by: String,
        /// The objector's contact, AES-GCM ciphertext (app::crypto); `None` for rows not yet
        /// sealed.
        pub contact_cipher: Option<String>,
        /// The contact masked for display (`138****5678`).
        pub contact_masked: String,
        pub reason: String,
        pub raised_on: String,
        pub status: String,
        pub fix_points: i64,
        pub fix_record_id: Option<i64>,
        pub decision_reason: String,
        pub decided_by: Option<String>,
        pub decided_on: Option<String>,
    }
}

const SELECT: &str = "SELECT o.id, o.round_id, o.household_id, h.household_no, h.village_code, \
    o.raised_by, o.contact_cipher, o.contact_masked, o.reason, o.raised_on, o.status, \
    o.fix_points, o.fix_record_id, o.decision_reason, o.decided_by, o.decided_on \
    FROM credit_objections o JOIN households h ON h.id = o.household_id";

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut AnyConnection,
    round_id: i64,
    household_id: i64,
    raised_by: &str,
    contact_cipher: &str,
    contact_masked: &str,
    reason: &str,
    raised_on: &str,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO credit_objections (round_id, household_id, raised_by, contact_cipher, \
         contact_masked, reason, raised_on) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(round_id)
    .bind(household_id)
    .bind(raised_by)
    .bind(contact_cipher)
    .bind(contact_masked)
    .bind(reason)
    .bind(raised_on)
    .read_one(conn)
    .await
}

/// Objections whose contact is still plain text (filed before contacts were encrypted).
pub async fn plain_contacts(conn: &mut AnyConnection) -> Result<Vec<(i64, String)>> {
    sqlx::query("SELECT id, contact FROM credit_objections WHERE contact <> '' ORDER BY id")
        .read_all(conn)
        .await
}

/// Replaces a plain contact by its ciphertext and masked form, clearing the plain column.
pub async fn seal_contact(
    conn: &mut AnyConnection,
    id: i64,
    cipher: &str,
    masked: &str,
) -> Result<u64> {
    sqlx::query(
        "UPDATE credit_objections SET contact_cipher = $1, contact_masked = $2, contact = '' \
         WHERE id = $3",
    )
    .bind(cipher)
    .bind(masked)
    .bind(id)
    .run(conn)
    .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<ObjectionRow>> {
    sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

pub async fn of_round(conn: &mut AnyConnection, round_id: i64) -> Result<Vec<ObjectionRow>> {
    sqlx::query(&format!("{SELECT} WHERE o.round_id = $1 ORDER BY o.id"))
        .bind(round_id)
        .read_all(conn)
        .await
}

pub async fn count_open(conn: &mut AnyConnection, round_id: i64) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM credit_objections WHERE round_id = $1 AND status = 'open'")
        .bind(round_id)
        .read_one(conn)
        .await
}

/// Closes an open objection (only if still open). Returns rows changed.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    fix_points: i64,
    fix_record_id: Option<i64>,
    reason: &str,
    by: &str,
    on: &str,
) -> Result<u64> {
    sqlx::query(
        "UPDATE credit_objections SET status = $1, fix_points = $2, fix_record_id = $3, \
         decision_reason = $4, decided_by = $5, decided_on = $6 WHERE id = $7 AND status = 'open'",
    )
    .bind(status)
    .bind(fix_points)
    .bind(fix_record_id)
    .bind(reason)
    .bind(by)
    .bind(on)
    .bind(id)
    .run(conn)
    .await
}

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CorrectionRow {
        pub id: i64,
        pub round_id: i64,
        pub household_id: i64,
        pub points: i64,
        pub grade: Option<String>,
        pub reason: String,
        pub made_by: String,
        pub made_on: String,
    }
}

pub async fn insert_correction(conn: &mut AnyConnection, c: &CorrectionRow) -> Result<i64> {
    sqlx::query(
        "INSERT INTO credit_corrections (round_id, household_id, points, grade, reason, made_by, \
         made_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.round_id)
    .bind(c.household_id)
    .bind(c.points)
    .bind(c.grade.as_deref())
    .bind(&c.reason)
    .bind(&c.made_by)
    .bind(&c.made_on)
    .bind(now_text())
    .read_one(conn)
    .await
}

pub async fn corrections_of(
    conn: &mut AnyConnection,
    round_id: i64,
    household_id: i64,
) -> Result<Vec<CorrectionRow>> {
    sqlx::query(
        "SELECT id, round_id, household_id, points, grade, reason, made_by, made_on \
         FROM credit_corrections WHERE round_id = $1 AND household_id = $2 ORDER BY id",
    )
    .bind(round_id)
    .bind(household_id)
    .read_all(conn)
    .await
}

/// Corrections of a round for households of a unit subtree, oldest first.
pub async fn corrections_in(
    conn: &mut AnyConnection,
    round_id: i64,
    unit: &str,
) -> Result<Vec<CorrectionRow>> {
    let s = super::unit_households(unit, 2);
    let sql = format!(
        "SELECT c.id, c.round_id, c.household_id, c.points, c.grade, c.reason, c.made_by, \
         c.made_on FROM credit_corrections c JOIN households h ON h.id = c.household_id \
         WHERE c.round_id = $1 AND {} ORDER BY c.id",
        s.cond
    );
    s.bind(sqlx::query(&sql).bind(round_id))
        .read_all(conn)
        .await
}

/// Objections raised from one address since an instant (RFC 3339), from the audit log.
pub async fn raised_from(conn: &mut AnyConnection, ip: &str, since: &str) -> Result<i64> {
    sqlx::query(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'credit.objection.raise' AND ip = $1 \
         AND at >= $2",
    )
    .bind(ip)
    .bind(since)
    .read_one(conn)
    .await
}

/// Open objections per round among the households of the subtree of `unit`.
pub async fn open_by_round(conn: &mut AnyConnection, unit: &str) -> Result<Vec<(i64, i64)>> {
    let s = super::unit_households(unit, 1);
    let sql = format!(
        "SELECT o.round_id, COUNT(*) FROM credit_objections o JOIN households h ON h.id = o.household_id \
         WHERE o.status = 'open' AND {} GROUP BY o.round_id",
        s.cond
    );
    s.bind(sqlx::query(&sql)).read_all(conn).await
}

/// One correction by id, with its household's number (what its log leaf commits to).
pub async fn correction_with_no(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<(CorrectionRow, String)>> {
    let row: Option<CorrectionRow> = sqlx::query(
        "SELECT id, round_id, household_id, points, grade, reason, made_by, made_on \
         FROM credit_corrections WHERE id = $1",
    )
    .bind(id)
    .read_optional(&mut *conn)
    .await?;
    let Some(c) = row else { return Ok(None) };
    let no: Option<String> = sqlx::query("SELECT household_no FROM households WHERE id = $1")
        .bind(c.household_id)
        .read_optional(conn)
        .await?;
    Ok(no.map(|n| (c, n)))
}
