//! Claims (债权: receivables, arrears) and their collections.

use super::parents;
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimWrite {
    pub village_code: String,
    pub claim_no: String,
    pub debtor: String,
    pub amount_fen: i64,
    pub arose_on: Option<String>,
    pub origin: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub id: i64,
    pub fields: ClaimWrite,
    pub collected_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionRow {
    pub id: i64,
    pub claim_id: i64,
    pub amount_fen: i64,
    pub collected_on: String,
    pub note: String,
}

const SELECT: &str = "SELECT c.id, c.village_code, c.claim_no, c.debtor, c.amount_fen, c.arose_on, \
    c.origin, c.note, (SELECT CAST(COALESCE(SUM(k.amount_fen), 0) AS BIGINT) FROM claim_collections k \
    WHERE k.claim_id = c.id) AS collected_fen FROM claims c";

fn from_row(r: &AnyRow) -> Result<ClaimRow> {
    Ok(ClaimRow {
        id: r.try_get("id")?,
        fields: ClaimWrite {
            village_code: r.try_get("village_code")?,
            claim_no: r.try_get("claim_no")?,
            debtor: r.try_get("debtor")?,
            amount_fen: r.try_get("amount_fen")?,
            arose_on: r.try_get("arose_on")?,
            origin: r.try_get("origin")?,
            note: r.try_get("note")?,
        },
        collected_fen: r.try_get("collected_fen")?,
    })
}

pub async fn of_village(conn: &mut AnyConnection, village: &str) -> Result<Vec<ClaimRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE c.village_code = $1 ORDER BY c.claim_no"
    ))
    .bind(village)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<ClaimRow>> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_by_no(
    conn: &mut AnyConnection,
    village: &str,
    no: &str,
) -> Result<Option<ClaimRow>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE c.village_code = $1 AND c.claim_no = $2"
    ))
    .bind(village)
    .bind(no)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_by_origin(
    conn: &mut AnyConnection,
    village: &str,
    origin: &str,
) -> Result<Option<ClaimRow>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE c.village_code = $1 AND c.origin = $2"
    ))
    .bind(village)
    .bind(origin)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn insert(conn: &mut AnyConnection, c: &ClaimWrite) -> Result<i64> {
    let now = now_text();
    let (township, county) = parents(&c.village_code);
    let row = sqlx::query(
        "INSERT INTO claims (village_code, township_code, county_code, claim_no, debtor, \
         amount_fen, arose_on, origin, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(&c.village_code)
    .bind(township)
    .bind(county)
    .bind(&c.claim_no)
    .bind(&c.debtor)
    .bind(c.amount_fen)
    .bind(c.arose_on.as_deref())
    .bind(c.origin.as_deref())
    .bind(&c.note)
    .bind(&now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn update(conn: &mut AnyConnection, id: i64, c: &ClaimWrite) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE claims SET claim_no = $1, debtor = $2, amount_fen = $3, arose_on = $4, \
         origin = $5, note = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(&c.claim_no)
    .bind(&c.debtor)
    .bind(c.amount_fen)
    .bind(c.arose_on.as_deref())
    .bind(c.origin.as_deref())
    .bind(&c.note)
    .bind(now_text())
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn insert_collection(
    conn: &mut AnyConnection,
    claim_id: i64,
    village: &str,
    amount_fen: i64,
    collected_on: &str,
    note: &str,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO claim_collections (claim_id, village_code, amount_fen, collected_on, note, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(claim_id)
    .bind(village)
    .bind(amount_fen)
    .bind(collected_on)
    .bind(note)
    .bind(now_text())
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn collections_of_village(
    conn: &mut AnyConnection,
    village: &str,
) -> Result<Vec<CollectionRow>> {
    let rows = sqlx::query(
        "SELECT id, claim_id, amount_fen, collected_on, note FROM claim_collections \
         WHERE village_code = $1 ORDER BY claim_id, collected_on, id",
    )
    .bind(village)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CollectionRow {
                id: r.try_get("id")?,
                claim_id: r.try_get("claim_id")?,
                amount_fen: r.try_get("amount_fen")?,
                collected_on: r.try_get("collected_on")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}
