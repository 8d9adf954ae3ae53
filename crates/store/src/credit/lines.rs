//! Bank credit lines and the credit summary's counts.

use crate::{now_text, Result};
use domain::registry::subtree_bounds;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRow {
    pub id: i64,
    pub household_id: i64,
    pub village_code: String,
    pub bank_user: String,
    pub amount_fen: i64,
    pub term_months: i64,
    pub rate_bp: i64,
    pub granted_on: String,
}

pub async fn insert(conn: &mut AnyConnection, l: &LineRow) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO credit_lines (household_id, village_code, bank_user, amount_fen, \
         term_months, rate_bp, granted_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING id",
    )
    .bind(l.household_id)
    .bind(&l.village_code)
    .bind(&l.bank_user)
    .bind(l.amount_fen)
    .bind(l.term_months)
    .bind(l.rate_bp)
    .bind(&l.granted_on)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Credit lines in a unit subtree, newest first.
pub async fn list(conn: &mut AnyConnection, unit: &str, limit: i64) -> Result<Vec<LineRow>> {
    let (lo, hi) = subtree_bounds(unit);
    let rows = sqlx::query(&format!(
        "SELECT id, household_id, village_code, bank_user, amount_fen, term_months, rate_bp, \
         granted_on FROM credit_lines WHERE village_code BETWEEN $1 AND $2 ORDER BY id DESC LIMIT {}",
        limit.clamp(1, 10_000)
    ))
    .bind(lo)
    .bind(hi)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LineRow {
                id: r.try_get(0)?,
                household_id: r.try_get(1)?,
                village_code: r.try_get(2)?,
                bank_user: r.try_get(3)?,
                amount_fen: r.try_get(4)?,
                term_months: r.try_get(5)?,
                rate_bp: r.try_get(6)?,
                granted_on: r.try_get(7)?,
            })
        })
        .collect()
}

/// Per village: code, name, households granted and amount (fen).
pub async fn by_village(
    conn: &mut AnyConnection,
    unit: &str,
) -> Result<Vec<(String, String, i64, i64)>> {
    let rows = crate::sqlbuild::bind_subtree(
        sqlx::query(
            "SELECT l.village_code, COALESCE((SELECT u.name FROM units u WHERE u.code = l.village_code), ''), \
         COUNT(DISTINCT l.household_id), CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT) \
         FROM credit_lines l WHERE l.village_code BETWEEN $1 AND $2 \
         GROUP BY l.village_code ORDER BY l.village_code",
        ),
        unit,
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect()
}

/// Per village in the subtree, the latest round with final assessments there.
pub async fn latest_final_rounds(
    conn: &mut AnyConnection,
    unit: &str,
) -> Result<Vec<(String, i64)>> {
    let (cond, val) = super::unit_households(unit, 1);
    let sql = format!(
        "SELECT h.village_code, MAX(a.round_id) FROM credit_assessments a \
         JOIN households h ON h.id = a.household_id WHERE a.final = 1 AND {cond} \
         GROUP BY h.village_code"
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

/// Final grades in one round of a village or a grid: `(grade, count)`.
pub async fn grade_counts(
    conn: &mut AnyConnection,
    round_id: i64,
    unit: &str,
) -> Result<Vec<(String, i64)>> {
    let (cond, val) = super::unit_households(unit, 2);
    let sql = format!(
        "SELECT a.grade, COUNT(*) FROM credit_assessments a JOIN households h \
         ON h.id = a.household_id WHERE a.round_id = $1 AND a.final = 1 AND {cond} \
         GROUP BY a.grade"
    );
    let mut q = sqlx::query(&sql).bind(round_id);
    if cond != "1 = 1" {
        q = q.bind(val);
    }
    let rows = q.fetch_all(conn).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

pub async fn count_households(conn: &mut AnyConnection, unit: &str) -> Result<i64> {
    let (cond, val) = super::unit_households(unit, 1);
    let sql = format!("SELECT COUNT(*) FROM households h WHERE {cond}");
    let mut q = sqlx::query(&sql);
    if cond != "1 = 1" {
        q = q.bind(val);
    }
    Ok(q.fetch_one(conn).await?.try_get(0)?)
}

/// Households with a credit line and the total amount, in a unit subtree.
pub async fn totals(conn: &mut AnyConnection, unit: &str) -> Result<(i64, i64)> {
    // Grids are not on the line itself: below a village, go through the household.
    let row = if unit.len() > 14 {
        let (cond, val) = super::unit_households(unit, 1);
        sqlx::query(&format!(
            "SELECT COUNT(DISTINCT l.household_id), CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT) \
             FROM credit_lines l JOIN households h ON h.id = l.household_id \
             WHERE {cond} AND l.amount_fen > 0"
        ))
        .bind(val)
        .fetch_one(conn)
        .await?
    } else {
        crate::sqlbuild::bind_subtree(sqlx::query(
            "SELECT COUNT(DISTINCT household_id), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) \
             FROM credit_lines WHERE village_code BETWEEN $1 AND $2 AND amount_fen > 0",
        ), unit)
        .fetch_one(conn)
        .await?
    };
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// Final grades of consenting households in a unit subtree (what a bank may see).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankRow {
    pub household_id: i64,
    pub village_code: String,
    pub household_no: String,
    pub head_name: String,
    pub round_id: i64,
    pub score: i64,
    pub grade: String,
    pub industry: String,
    pub income_band: String,
}

pub async fn consenting_final(
    conn: &mut AnyConnection,
    unit: &str,
    grade: Option<&str>,
    limit: i64,
) -> Result<Vec<BankRow>> {
    let (cond, val) = super::unit_households(unit, 1);
    let grade_cond = if grade.is_some() {
        " AND a.grade = $2"
    } else {
        ""
    };
    let (cond, grade_cond) = if cond == "1 = 1" {
        ("1 = 1".to_string(), grade_cond.replace("$2", "$1"))
    } else {
        (cond, grade_cond.to_string())
    };
    let sql = format!(
        "SELECT h.id, h.village_code, h.household_no, h.head_name, a.round_id, a.score, a.grade, \
         p.industry, p.income_band FROM credit_assessments a \
         JOIN households h ON h.id = a.household_id \
         JOIN credit_profiles p ON p.household_id = h.id AND p.consent_to_share = 1 \
         WHERE a.final = 1 AND {cond}{grade_cond} AND a.round_id = (SELECT MAX(a2.round_id) \
         FROM credit_assessments a2 WHERE a2.household_id = h.id AND a2.final = 1) \
         ORDER BY h.village_code, h.household_no LIMIT {}",
        limit.clamp(1, 100_000)
    );
    let mut q = sqlx::query(&sql);
    if !val.is_empty() {
        q = q.bind(val);
    }
    if let Some(g) = grade {
        q = q.bind(g);
    }
    let rows = q.fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(BankRow {
                household_id: r.try_get(0)?,
                village_code: r.try_get(1)?,
                household_no: r.try_get(2)?,
                head_name: r.try_get(3)?,
                round_id: r.try_get(4)?,
                score: r.try_get(5)?,
                grade: r.try_get(6)?,
                industry: r.try_get(7)?,
                income_band: r.try_get(8)?,
            })
        })
        .collect()
}
