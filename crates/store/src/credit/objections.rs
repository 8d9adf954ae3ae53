//! Objections during publicity and corrections after final (append-only).

use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionRow {
    pub id: i64,
    pub round_id: i64,
    pub household_id: i64,
    pub household_no: String,
    pub village_code: String,
    pub raised_by: String,
    /// The objector's contact, AES-GCM ciphertext (app::crypto); `None` for rows not yet sealed.
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

const SELECT: &str = "SELECT o.id, o.round_id, o.household_id, h.household_no, h.village_code, \
    o.raised_by, o.contact_masked, o.reason, o.raised_on, o.status, o.fix_points, o.fix_record_id, \
    o.decision_reason, o.decided_by, o.decided_on, o.contact_cipher FROM credit_objections o \
    JOIN households h ON h.id = o.household_id";

fn from_row(r: &AnyRow) -> Result<ObjectionRow> {
    Ok(ObjectionRow {
        id: r.try_get(0)?,
        round_id: r.try_get(1)?,
        household_id: r.try_get(2)?,
        household_no: r.try_get(3)?,
        village_code: r.try_get(4)?,
        raised_by: r.try_get(5)?,
        contact_masked: r.try_get(6)?,
        contact_cipher: r.try_get(15)?,
        reason: r.try_get(7)?,
        raised_on: r.try_get(8)?,
        status: r.try_get(9)?,
        fix_points: r.try_get(10)?,
        fix_record_id: r.try_get(11)?,
        decision_reason: r.try_get(12)?,
        decided_by: r.try_get(13)?,
        decided_on: r.try_get(14)?,
    })
}

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
    let row = sqlx::query(
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
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Objections whose contact is still plain text (filed before contacts were encrypted).
pub async fn plain_contacts(conn: &mut AnyConnection) -> Result<Vec<(i64, String)>> {
    let rows =
        sqlx::query("SELECT id, contact FROM credit_objections WHERE contact <> '' ORDER BY id")
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Replaces a plain contact by its ciphertext and masked form, clearing the plain column.
pub async fn seal_contact(
    conn: &mut AnyConnection,
    id: i64,
    cipher: &str,
    masked: &str,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE credit_objections SET contact_cipher = $1, contact_masked = $2, contact = '' \
         WHERE id = $3",
    )
    .bind(cipher)
    .bind(masked)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<ObjectionRow>> {
    let row = sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn of_round(conn: &mut AnyConnection, round_id: i64) -> Result<Vec<ObjectionRow>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE o.round_id = $1 ORDER BY o.id"))
        .bind(round_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn count_open(conn: &mut AnyConnection, round_id: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM credit_objections WHERE round_id = $1 AND status = 'open'",
    )
    .bind(round_id)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
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
    Ok(sqlx::query(
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
    .execute(conn)
    .await?
    .rows_affected())
}

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

pub async fn insert_correction(conn: &mut AnyConnection, c: &CorrectionRow) -> Result<i64> {
    let row = sqlx::query(
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
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn corrections_of(
    conn: &mut AnyConnection,
    round_id: i64,
    household_id: i64,
) -> Result<Vec<CorrectionRow>> {
    let rows = sqlx::query(
        "SELECT id, round_id, household_id, points, grade, reason, made_by, made_on \
         FROM credit_corrections WHERE round_id = $1 AND household_id = $2 ORDER BY id",
    )
    .bind(round_id)
    .bind(household_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CorrectionRow {
                id: r.try_get(0)?,
                round_id: r.try_get(1)?,
                household_id: r.try_get(2)?,
                points: r.try_get(3)?,
                grade: r.try_get(4)?,
                reason: r.try_get(5)?,
                made_by: r.try_get(6)?,
                made_on: r.try_get(7)?,
            })
        })
        .collect()
}

/// Corrections of a round for households of a unit subtree, oldest first.
pub async fn corrections_in(
    conn: &mut AnyConnection,
    round_id: i64,
    unit: &str,
) -> Result<Vec<CorrectionRow>> {
    let (cond, val) = super::unit_households(unit, 2);
    let sql = format!(
        "SELECT c.id, c.round_id, c.household_id, c.points, c.grade, c.reason, c.made_by, \
         c.made_on FROM credit_corrections c JOIN households h ON h.id = c.household_id \
         WHERE c.round_id = $1 AND {cond} ORDER BY c.id"
    );
    let mut q = sqlx::query(&sql).bind(round_id);
    if cond != "1 = 1" {
        q = q.bind(val);
    }
    let rows = q.fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(CorrectionRow {
                id: r.try_get(0)?,
                round_id: r.try_get(1)?,
                household_id: r.try_get(2)?,
                points: r.try_get(3)?,
                grade: r.try_get(4)?,
                reason: r.try_get(5)?,
                made_by: r.try_get(6)?,
                made_on: r.try_get(7)?,
            })
        })
        .collect()
}

/// Objections raised from one address since an instant (RFC 3339), from the audit log.
pub async fn raised_from(conn: &mut AnyConnection, ip: &str, since: &str) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'credit.objection.raise' AND ip = $1 \
         AND at >= $2",
    )
    .bind(ip)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Open objections per round among the households of the subtree of `unit`.
pub async fn open_by_round(conn: &mut AnyConnection, unit: &str) -> Result<Vec<(i64, i64)>> {
    let (cond, val) = super::unit_households(unit, 1);
    let sql = format!(
        "SELECT o.round_id, COUNT(*) FROM credit_objections o JOIN households h ON h.id = o.household_id \
         WHERE o.status = 'open' AND {cond} GROUP BY o.round_id"
    );
    let mut q = sqlx::query(&sql);
    if cond != "1 = 1" {
        q = q.bind(val);
    }
    let rows = q.fetch_all(conn).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}
