//! Bank credit lines and the credit summary's counts.

use crate::rows::{row, Run};
use crate::sqlbuild::bind_subtree;
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
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
}

pub async fn insert(conn: &mut AnyConnection, l: &LineRow) -> Result<i64> {
    sqlx::query(
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
    .read_one(conn)
    .await
}

/// Credit lines in a unit subtree, newest first.
pub async fn list(conn: &mut AnyConnection, unit: &str, limit: i64) -> Result<Vec<LineRow>> {
    let sql = format!(
        "SELECT id, household_id, village_code, bank_user, amount_fen, term_months, rate_bp, \
         granted_on FROM credit_lines WHERE village_code BETWEEN $1 AND $2 ORDER BY id DESC LIMIT {}",
        limit.clamp(1, 10_000)
    );
    bind_subtree(sqlx::query(&sql), unit).read_all(conn).await
}

/// Per village: code, name, households granted and amount (fen).
pub async fn by_village(
    conn: &mut AnyConnection,
    unit: &str,
) -> Result<Vec<(String, String, i64, i64)>> {
    let q = sqlx::query(
        "SELECT l.village_code, COALESCE((SELECT u.name FROM units u WHERE u.code = l.village_code), ''), \
         COUNT(DISTINCT l.household_id), CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT) \
         FROM credit_lines l WHERE l.village_code BETWEEN $1 AND $2 \
         GROUP BY l.village_code ORDER BY l.village_code",
    );
    bind_subtree(q, unit).read_all(conn).await
}

/// Per village in the subtree, the latest round with final assessments there.
pub async fn latest_final_rounds(
    conn: &mut AnyConnection,
    unit: &str,
) -> Result<Vec<(String, i64)>> {
    let s = super::unit_households(unit, 1);
    let sql = format!(
        "SELECT h.village_code, MAX(a.round_id) FROM credit_assessments a \
         JOIN households h ON h.id = a.household_id WHERE a.final = 1 AND {} \
         GROUP BY h.village_code",
        s.cond
    );
    s.bind(sqlx::query(&sql)).read_all(conn).await
}

/// Final grades in one round of a village or a grid: `(grade, count)`.
pub async fn grade_counts(
    conn: &mut AnyConnection,
    round_id: i64,
    unit: &str,
) -> Result<Vec<(String, i64)>> {
    let s = super::unit_households(unit, 2);
    let sql = format!(
        "SELECT a.grade, COUNT(*) FROM credit_assessments a JOIN households h \
         ON h.id = a.household_id WHERE a.round_id = $1 AND a.final = 1 AND {} \
         GROUP BY a.grade",
        s.cond
    );
    s.bind(sqlx::query(&sql).bind(round_id))
        .read_all(conn)
        .await
}

pub async fn count_households(conn: &mut AnyConnection, unit: &str) -> Result<i64> {
    let s = super::unit_households(unit, 1);
    let sql = format!("SELECT COUNT(*) FROM households h WHERE {}", s.cond);
    s.bind(sqlx::query(&sql)).read_one(conn).await
}

/// Households with a credit line and the total amount, in a unit subtree.
pub async fn totals(conn: &mut AnyConnection, unit: &str) -> Result<(i64, i64)> {
    // Grids are not on the line itself: below a village, go through the household.
    if unit.len() > 14 {
        let s = super::unit_households(unit, 1);
        let sql = format!(
            "SELECT COUNT(DISTINCT l.household_id), CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT) \
             FROM credit_lines l JOIN households h ON h.id = l.household_id \
             WHERE {} AND l.amount_fen > 0",
            s.cond
        );
        s.bind(sqlx::query(&sql)).read_one(conn).await
    } else {
        let q = sqlx::query(
            "SELECT COUNT(DISTINCT household_id), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) \
             FROM credit_lines WHERE village_code BETWEEN $1 AND $2 AND amount_fen > 0",
        );
        bind_subtree(q, unit).read_one(conn).await
    }
}

row! {
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
}

pub async fn consenting_final(
    conn: &mut AnyConnection,
    unit: &str,
    grade: Option<&str>,
    limit: i64,
) -> Result<Vec<BankRow>> {
    let s = super::unit_households(unit, 1);
    let cond = &s.cond;
    let grade_cond = match grade {
        Some(_) => format!(" AND a.grade = ${}", s.next),
        None => String::new(),
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
    let mut q = s.bind(sqlx::query(&sql));
    if let Some(g) = grade {
        q = q.bind(g);
    }
    q.read_all(conn).await
}
