//! Flags raised on contracts and the follow-up (rectification task) of each.

use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagRow {
    pub id: i64,
    pub contract_id: i64,
    pub village_code: String,
    pub code: String,
    pub detail_zh: String,
    pub detail_en: String,
    pub status: String,
    pub deadline: Option<String>,
    pub reason: String,
    pub evidence: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT id, contract_id, village_code, code, detail_zh, detail_en, status, \
    deadline, reason, evidence, updated_at FROM contract_flags";

fn from_row(r: &AnyRow) -> Result<FlagRow> {
    Ok(FlagRow {
        id: r.try_get("id")?,
        contract_id: r.try_get("contract_id")?,
        village_code: r.try_get("village_code")?,
        code: r.try_get("code")?,
        detail_zh: r.try_get("detail_zh")?,
        detail_en: r.try_get("detail_en")?,
        status: r.try_get("status")?,
        deadline: r.try_get("deadline")?,
        reason: r.try_get("reason")?,
        evidence: r.try_get("evidence")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn of_village(conn: &mut AnyConnection, village: &str) -> Result<Vec<FlagRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE village_code = $1 ORDER BY contract_id, id"
    ))
    .bind(village)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<FlagRow>> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn insert(
    conn: &mut AnyConnection,
    contract_id: i64,
    village: &str,
    code: &str,
    detail_zh: &str,
    detail_en: &str,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO contract_flags (contract_id, village_code, code, detail_zh, detail_en, \
         status, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING id",
    )
    .bind(contract_id)
    .bind(village)
    .bind(code)
    .bind(detail_zh)
    .bind(detail_en)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn set_detail(
    conn: &mut AnyConnection,
    id: i64,
    detail_zh: &str,
    detail_en: &str,
) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE contract_flags SET detail_zh = $1, detail_en = $2 WHERE id = $3")
            .bind(detail_zh)
            .bind(detail_en)
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

pub async fn update_task(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    deadline: Option<&str>,
    reason: &str,
    evidence: &str,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE contract_flags SET status = $1, deadline = $2, reason = $3, evidence = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(status)
    .bind(deadline)
    .bind(reason)
    .bind(evidence)
    .bind(now_text())
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM contract_flags WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Per village of the subtree of `unit`: open rectifications whose deadline is before `today`
/// (`YYYY-MM-DD`), as `(village_code, village name, count)`.
pub async fn overdue_by_village(
    conn: &mut AnyConnection,
    unit: &str,
    today: &str,
) -> Result<Vec<(String, String, i64)>> {
    let rows = crate::sqlbuild::bind_subtree(
        sqlx::query(
            "SELECT f.village_code, COALESCE((SELECT u.name FROM units u WHERE u.code = f.village_code), ''), \
             COUNT(*) FROM contract_flags f WHERE f.village_code BETWEEN $1 AND $2 \
             AND f.status = 'open' AND f.deadline IS NOT NULL AND f.deadline < $3 \
             GROUP BY f.village_code ORDER BY f.village_code",
        ),
        unit,
    )
    .bind(today)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}
