//! Claims (债权: receivables, arrears) and their collections.

use super::register::register;
use crate::rows::{row, Run};
use crate::{now_text, Result};
use sqlx::AnyConnection;

register! {
    pub struct ClaimWrite in "claims" by claim_no {
        pub claim_no: String,
        pub debtor: String,
        pub amount_fen: i64,
        pub arose_on: Option<String>,
        pub origin: Option<String>,
        pub note: String,
    }
    pub struct ClaimRow {
        pub collected_fen: i64 = "(SELECT CAST(COALESCE(SUM(k.amount_fen), 0) AS BIGINT) \
            FROM claim_collections k WHERE k.claim_id = t.id) AS collected_fen",
    }
}

row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CollectionRow {
        pub id: i64,
        pub claim_id: i64,
        pub amount_fen: i64,
        pub collected_on: String,
        pub note: String,
    }
}

/// The claim the app keeps under `origin` (rent arrears, charges) in a village.
pub async fn find_by_origin(
    conn: &mut AnyConnection,
    village: &str,
    origin: &str,
) -> Result<Option<ClaimRow>> {
    super::register::find_by(conn, village, "origin", origin).await
}

pub async fn insert_collection(
    conn: &mut AnyConnection,
    claim_id: i64,
    village: &str,
    amount_fen: i64,
    collected_on: &str,
    note: &str,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO claim_collections (claim_id, village_code, amount_fen, collected_on, note, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(claim_id)
    .bind(village)
    .bind(amount_fen)
    .bind(collected_on)
    .bind(note)
    .bind(now_text())
    .read_one(conn)
    .await
}

pub async fn collections_of_village(
    conn: &mut AnyConnection,
    village: &str,
) -> Result<Vec<CollectionRow>> {
    sqlx::query(
        "SELECT id, claim_id, amount_fen, collected_on, note FROM claim_collections \
         WHERE village_code = $1 ORDER BY claim_id, collected_on, id",
    )
    .bind(village)
    .read_all(conn)
    .await
}
