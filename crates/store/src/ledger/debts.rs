//! Debts (债务) and their resolution actions (化解).

use super::register::register;
use crate::rows::{row, FromRow, Run};
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

register! {
    pub struct DebtWrite in "debts" by debt_no {
        pub debt_no: String,
        pub creditor: String,
        pub principal_fen: i64,
        pub incurred_on: Option<String>,
        pub category: Option<String>,
        pub note: String,
    }
    pub struct DebtRow {}
}

row! {
    /// An action's written fields (read from the columns after the id, in this order).
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    pub id: i64,
    pub debt_no: String,
    pub fields: ActionWrite,
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
        Some(r) => Ok(Some((DebtRow::from_row(&r)?, r.try_get("resolved_fen")?))),
        None => Ok(None),
    }
}

pub async fn insert_action(conn: &mut AnyConnection, a: &ActionWrite) -> Result<i64> {
    sqlx::query(
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
    .read_one(conn)
    .await
}

/// Actions with their debt's number: the written fields first (as [`ActionWrite`] reads them),
/// then the id and the number.
const SELECT_ACTIONS: &str = "SELECT a.debt_id, a.village_code, a.method, a.amount_fen, \
    a.acted_on, a.evidence, a.note, a.id, d.debt_no FROM debt_actions a \
    JOIN debts d ON d.id = a.debt_id";

impl FromRow for ActionRow {
    fn from_row(r: &AnyRow) -> Result<Self> {
        Ok(ActionRow {
            id: r.try_get("id")?,
            debt_no: r.try_get("debt_no")?,
            fields: ActionWrite::from_row(r)?,
        })
    }
}

pub async fn actions_of_village(conn: &mut AnyConnection, village: &str) -> Result<Vec<ActionRow>> {
    sqlx::query(&format!(
        "{SELECT_ACTIONS} WHERE a.village_code = $1 ORDER BY d.debt_no, a.acted_on, a.id"
    ))
    .bind(village)
    .read_all(conn)
    .await
}

/// The actions of one debt (an import of a few rows reads only the debts it names).
pub async fn actions_of_debt(conn: &mut AnyConnection, debt_id: i64) -> Result<Vec<ActionRow>> {
    sqlx::query(&format!(
        "{SELECT_ACTIONS} WHERE a.debt_id = $1 ORDER BY a.acted_on, a.id"
    ))
    .bind(debt_id)
    .read_all(conn)
    .await
}

/// Resolved amount of one debt.
pub async fn resolved_of(conn: &mut AnyConnection, debt_id: i64) -> Result<i64> {
    sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM debt_actions WHERE debt_id = $1",
    )
    .bind(debt_id)
    .read_one(conn)
    .await
}

/// Resolved amount of every debt of a village that has actions, in one query (imports check
/// each row against it instead of asking per row).
pub async fn resolved_in_village(
    conn: &mut AnyConnection,
    village: &str,
) -> Result<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = sqlx::query(
        "SELECT debt_id, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM debt_actions \
         WHERE village_code = $1 GROUP BY debt_id",
    )
    .bind(village)
    .read_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}
