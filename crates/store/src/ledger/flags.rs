//! Flags raised on contracts and the follow-up (rectification task) of each.

use crate::rows::{row, Run};
use crate::{now_text, Result};
use sqlx::AnyConnection;

row! {
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
}

const SELECT: &str = "SELECT id, contract_id, village_code, code, detail_zh, detail_en, status, \
    deadline, reason, evidence, updated_at FROM contract_flags";

pub async fn of_village(conn: &mut AnyConnection, village: &str) -> Result<Vec<FlagRow>> {
    sqlx::query(&format!(
        "{SELECT} WHERE village_code = $1 ORDER BY contract_id, id"
    ))
    .bind(village)
    .read_all(conn)
    .await
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<FlagRow>> {
    sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .read_optional(conn)
        .await
}

pub async fn insert(
    conn: &mut AnyConnection,
    contract_id: i64,
    village: &str,
    code: &str,
    detail_zh: &str,
    detail_en: &str,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO contract_flags (contract_id, village_code, code, detail_zh, detail_en, \
         status, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING id",
    )
    .bind(contract_id)
    .bind(village)
    .bind(code)
    .bind(detail_zh)
    .bind(detail_en)
    .bind(now_text())
    .read_one(conn)
    .await
}

pub async fn set_detail(
    conn: &mut AnyConnection,
    id: i64,
    detail_zh: &str,
    detail_en: &str,
) -> Result<u64> {
    sqlx::query("UPDATE contract_flags SET detail_zh = $1, detail_en = $2 WHERE id = $3")
        .bind(detail_zh)
        .bind(detail_en)
        .bind(id)
        .run(conn)
        .await
}

pub async fn update_task(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    deadline: Option<&str>,
    reason: &str,
    evidence: &str,
) -> Result<u64> {
    sqlx::query(
        "UPDATE contract_flags SET status = $1, deadline = $2, reason = $3, evidence = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(status)
    .bind(deadline)
    .bind(reason)
    .bind(evidence)
    .bind(now_text())
    .bind(id)
    .run(conn)
    .await
}

pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<u64> {
    sqlx::query("DELETE FROM contract_flags WHERE id = $1")
        .bind(id)
        .run(conn)
        .await
}

/// Per village of the subtree of `unit`: open rectifications whose deadline is before `today`
/// (`YYYY-MM-DD`), as `(village_code, village name, count)`.
pub async fn overdue_by_village(
    conn: &mut AnyConnection,
    unit: &str,
    today: &str,
) -> Result<Vec<(String, String, i64)>> {
    let q = sqlx::query(
        "SELECT f.village_code, COALESCE((SELECT u.name FROM units u WHERE u.code = f.village_code), ''), \
         COUNT(*) FROM contract_flags f WHERE f.village_code BETWEEN $1 AND $2 \
         AND f.status = 'open' AND f.deadline IS NOT NULL AND f.deadline < $3 \
         GROUP BY f.village_code ORDER BY f.village_code",
    );
    crate::sqlbuild::bind_subtree(q, unit)
        .bind(today)
        .read_all(conn)
        .await
}
