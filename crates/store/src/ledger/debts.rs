//! Debts (债务) and their resolution actions (化解).

use super::parents;
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DebtWrite {
    pub village_code: String,
    pub debt_no: String,
    pub creditor: String,
    pub principal_fen: i64,
    pub incurred_on: Option<String>,
    pub category: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtRow {
    pub id: i64,
    pub fields: DebtWrite,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionWrite {
    pub debt_id: i64,
    pub village_code: String,
    pub method: String,
    pub amount_fen: i64,
    pub acted_on: String,
    pub evidence: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    pub id: i64,
    pub debt_no: String,
    pub fields: ActionWrite,
}

const SELECT: &str = "SELECT id, village_code, debt_no, creditor, principal_fen, incurred_on, \
    category, note FROM debts";

fn from_row(r: &AnyRow) -> Result<DebtRow> {
    Ok(DebtRow {
        id: r.try_get("id")?,
        fields: DebtWrite {
            village_code: r.try_get("village_code")?,
            debt_no: r.try_get("debt_no")?,
            creditor: r.try_get("creditor")?,
            principal_fen: r.try_get("principal_fen")?,
            incurred_on: r.try_get("incurred_on")?,
            category: r.try_get("category")?,
            note: r.try_get("note")?,
        },
    })
}

pub async fn of_village(conn: &mut AnyConnection, village: &str) -> Result<Vec<DebtRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE village_code = $1 ORDER BY debt_no"
    ))
    .bind(village)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<DebtRow>> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A debt with its resolved amount so far, in one query (a resolution checks the one
/// against the other; one round trip fewer on the busiest write).
pub async fn get_with_resolved(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<(DebtRow, i64)>> {
    let row = sqlx::query(
        "SELECT id, village_code, debt_no, creditor, principal_fen, incurred_on, category, note, \
         (SELECT CAST(COALESCE(SUM(a.amount_fen), 0) AS BIGINT) FROM debt_actions a \
          WHERE a.debt_id = debts.id) AS resolved_fen \
         FROM debts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    match row {
        Some(r) => Ok(Some((from_row(&r)?, r.try_get("resolved_fen")?))),
        None => Ok(None),
    }
}

pub async fn find_by_no(
    conn: &mut AnyConnection,
    village: &str,
    no: &str,
) -> Result<Option<DebtRow>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE village_code = $1 AND debt_no = $2"
    ))
    .bind(village)
    .bind(no)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn insert(conn: &mut AnyConnection, d: &DebtWrite) -> Result<i64> {
    let now = now_text();
    let (township, county) = parents(&d.village_code);
    let row = sqlx::query(
        "INSERT INTO debts (village_code, township_code, county_code, debt_no, creditor, \
         principal_fen, incurred_on, category, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(&d.village_code)
    .bind(township)
    .bind(county)
    .bind(&d.debt_no)
    .bind(&d.creditor)
    .bind(d.principal_fen)
    .bind(d.incurred_on.as_deref())
    .bind(d.category.as_deref())
    .bind(&d.note)
    .bind(&now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn update(conn: &mut AnyConnection, id: i64, d: &DebtWrite) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE debts SET debt_no = $1, creditor = $2, principal_fen = $3, incurred_on = $4, \
         category = $5, note = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(&d.debt_no)
    .bind(&d.creditor)
    .bind(d.principal_fen)
    .bind(d.incurred_on.as_deref())
    .bind(d.category.as_deref())
    .bind(&d.note)
    .bind(now_text())
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn insert_action(conn: &mut AnyConnection, a: &ActionWrite) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO debt_actions (debt_id, village_code, method, amount_fen, acted_on, \
         evidence, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.debt_id)
    .bind(&a.village_code)
    .bind(&a.method)
    .bind(a.amount_fen)
    .bind(&a.acted_on)
    .bind(a.evidence.as_deref())
    .bind(&a.note)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Every action of a village's debts, oldest first.
const SELECT_ACTIONS: &str = "SELECT a.id, a.debt_id, a.village_code, a.method, a.amount_fen, \
    a.acted_on, a.evidence, a.note, d.debt_no FROM debt_actions a JOIN debts d ON d.id = a.debt_id";

fn action_from_row(r: &AnyRow) -> Result<ActionRow> {
    Ok(ActionRow {
        id: r.try_get("id")?,
        debt_no: r.try_get("debt_no")?,
        fields: ActionWrite {
            debt_id: r.try_get("debt_id")?,
            village_code: r.try_get("village_code")?,
            method: r.try_get("method")?,
            amount_fen: r.try_get("amount_fen")?,
            acted_on: r.try_get("acted_on")?,
            evidence: r.try_get("evidence")?,
            note: r.try_get("note")?,
        },
    })
}

pub async fn actions_of_village(conn: &mut AnyConnection, village: &str) -> Result<Vec<ActionRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT_ACTIONS} WHERE a.village_code = $1 ORDER BY d.debt_no, a.acted_on, a.id"
    ))
    .bind(village)
    .fetch_all(conn)
    .await?;
    rows.iter().map(action_from_row).collect()
}

/// The actions of one debt (an import of a few rows reads only the debts it names).
pub async fn actions_of_debt(conn: &mut AnyConnection, debt_id: i64) -> Result<Vec<ActionRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT_ACTIONS} WHERE a.debt_id = $1 ORDER BY a.acted_on, a.id"
    ))
    .bind(debt_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(action_from_row).collect()
}

/// Resolved amount of one debt.
pub async fn resolved_of(conn: &mut AnyConnection, debt_id: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM debt_actions WHERE debt_id = $1",
    )
    .bind(debt_id)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Resolved amount of every debt of a village that has actions, in one query (imports check
/// each row against it instead of asking per row).
pub async fn resolved_in_village(
    conn: &mut AnyConnection,
    village: &str,
) -> Result<std::collections::HashMap<i64, i64>> {
    let rows = sqlx::query(
        "SELECT debt_id, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM debt_actions \
         WHERE village_code = $1 GROUP BY debt_id",
    )
    .bind(village)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?)))
        .collect()
}
