//! Contracts (合同) of a village collective.

use super::parents;
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractWrite {
    pub village_code: String,
    pub contract_no: String,
    pub kind: String,
    pub counterparty: String,
    pub counterparty_id_cipher: Option<String>,
    pub counterparty_id_hash: Option<String>,
    pub counterparty_id_masked: String,
    pub subject: Option<String>,
    pub resource_no: Option<String>,
    pub area_mu_x100: Option<i64>,
    pub area_m2_x100: Option<i64>,
    pub start_on: String,
    pub end_on: String,
    pub annual_rent_fen: i64,
    pub prepaid_years_x100: Option<i64>,
    pub paid_fen: i64,
    pub signed_on: Option<String>,
    pub procedure_ref: Option<String>,
    pub related_cadre: bool,
    /// `active` or `terminated`
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRow {
    pub id: i64,
    pub fields: ContractWrite,
    pub updated_at: String,
    /// flags on the contract (any status) and those still open
    pub flag_count: i64,
    pub open_flag_count: i64,
}

const SELECT: &str = "SELECT id, village_code, contract_no, kind, counterparty, \
    counterparty_id_cipher, counterparty_id_hash, counterparty_id_masked, subject, resource_no, \
    area_mu_x100, area_m2_x100, start_on, end_on, annual_rent_fen, prepaid_years_x100, paid_fen, \
    signed_on, procedure_ref, related_cadre, status, updated_at, flag_count, open_flag_count FROM contracts";

fn from_row(r: &AnyRow) -> Result<ContractRow> {
    Ok(ContractRow {
        id: r.try_get("id")?,
        fields: ContractWrite {
            village_code: r.try_get("village_code")?,
            contract_no: r.try_get("contract_no")?,
            kind: r.try_get("kind")?,
            counterparty: r.try_get("counterparty")?,
            counterparty_id_cipher: r.try_get("counterparty_id_cipher")?,
            counterparty_id_hash: r.try_get("counterparty_id_hash")?,
            counterparty_id_masked: r.try_get("counterparty_id_masked")?,
            subject: r.try_get("subject")?,
            resource_no: r.try_get("resource_no")?,
            area_mu_x100: r.try_get("area_mu_x100")?,
            area_m2_x100: r.try_get("area_m2_x100")?,
            start_on: r.try_get("start_on")?,
            end_on: r.try_get("end_on")?,
            annual_rent_fen: r.try_get("annual_rent_fen")?,
            prepaid_years_x100: r.try_get("prepaid_years_x100")?,
            paid_fen: r.try_get("paid_fen")?,
            signed_on: r.try_get("signed_on")?,
            procedure_ref: r.try_get("procedure_ref")?,
            related_cadre: r.try_get::<i64, _>("related_cadre")? != 0,
            status: r.try_get("status")?,
        },
        updated_at: r.try_get("updated_at")?,
        flag_count: r.try_get("flag_count")?,
        open_flag_count: r.try_get("open_flag_count")?,
    })
}

pub async fn of_village(conn: &mut AnyConnection, village: &str) -> Result<Vec<ContractRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE village_code = $1 ORDER BY contract_no"
    ))
    .bind(village)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<ContractRow>> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_by_no(
    conn: &mut AnyConnection,
    village: &str,
    no: &str,
) -> Result<Option<ContractRow>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE village_code = $1 AND contract_no = $2"
    ))
    .bind(village)
    .bind(no)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn insert(conn: &mut AnyConnection, c: &ContractWrite) -> Result<i64> {
    let now = now_text();
    let (township, county) = parents(&c.village_code);
    let row = sqlx::query(
        "INSERT INTO contracts (village_code, township_code, county_code, contract_no, kind, \
         counterparty, counterparty_id_cipher, counterparty_id_hash, counterparty_id_masked, \
         subject, resource_no, area_mu_x100, area_m2_x100, start_on, end_on, annual_rent_fen, \
         prepaid_years_x100, paid_fen, signed_on, procedure_ref, related_cadre, status, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23) RETURNING id",
    )
    .bind(&c.village_code)
    .bind(township)
    .bind(county)
    .bind(&c.contract_no)
    .bind(&c.kind)
    .bind(&c.counterparty)
    .bind(c.counterparty_id_cipher.as_deref())
    .bind(c.counterparty_id_hash.as_deref())
    .bind(&c.counterparty_id_masked)
    .bind(c.subject.as_deref())
    .bind(c.resource_no.as_deref())
    .bind(c.area_mu_x100)
    .bind(c.area_m2_x100)
    .bind(&c.start_on)
    .bind(&c.end_on)
    .bind(c.annual_rent_fen)
    .bind(c.prepaid_years_x100)
    .bind(c.paid_fen)
    .bind(c.signed_on.as_deref())
    .bind(c.procedure_ref.as_deref())
    .bind(i64::from(c.related_cadre))
    .bind(&c.status)
    .bind(&now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Updates every field except the village.
pub async fn update(conn: &mut AnyConnection, id: i64, c: &ContractWrite) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE contracts SET contract_no = $1, kind = $2, counterparty = $3, \
         counterparty_id_cipher = $4, counterparty_id_hash = $5, counterparty_id_masked = $6, \
         subject = $7, resource_no = $8, area_mu_x100 = $9, area_m2_x100 = $10, start_on = $11, \
         end_on = $12, annual_rent_fen = $13, prepaid_years_x100 = $14, paid_fen = $15, \
         signed_on = $16, procedure_ref = $17, related_cadre = $18, status = $19, \
         updated_at = $20 WHERE id = $21",
    )
    .bind(&c.contract_no)
    .bind(&c.kind)
    .bind(&c.counterparty)
    .bind(c.counterparty_id_cipher.as_deref())
    .bind(c.counterparty_id_hash.as_deref())
    .bind(&c.counterparty_id_masked)
    .bind(c.subject.as_deref())
    .bind(c.resource_no.as_deref())
    .bind(c.area_mu_x100)
    .bind(c.area_m2_x100)
    .bind(&c.start_on)
    .bind(&c.end_on)
    .bind(c.annual_rent_fen)
    .bind(c.prepaid_years_x100)
    .bind(c.paid_fen)
    .bind(c.signed_on.as_deref())
    .bind(c.procedure_ref.as_deref())
    .bind(i64::from(c.related_cadre))
    .bind(&c.status)
    .bind(now_text())
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn add_paid(conn: &mut AnyConnection, id: i64, amount_fen: i64) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE contracts SET paid_fen = paid_fen + $1, updated_at = $2 WHERE id = $3")
            .bind(amount_fen)
            .bind(now_text())
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

pub async fn set_flag_counts(
    conn: &mut AnyConnection,
    id: i64,
    total: i64,
    open: i64,
) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE contracts SET flag_count = $1, open_flag_count = $2 WHERE id = $3")
            .bind(total)
            .bind(open)
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// Recounts one contract's flags from `contract_flags` (after a rectification update).
pub async fn refresh_flag_counts(conn: &mut AnyConnection, id: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE contracts SET flag_count = (SELECT COUNT(*) FROM contract_flags f WHERE f.contract_id = $1), \
         open_flag_count = (SELECT COUNT(*) FROM contract_flags f WHERE f.contract_id = $1 AND f.status = 'open') \
         WHERE id = $1",
    )
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Villages under `root` that have contracts (to recompute after a county changes its rules).
pub async fn villages_with_contracts(conn: &mut AnyConnection, root: &str) -> Result<Vec<String>> {
    let rows = crate::sqlbuild::bind_subtree(
        sqlx::query(
            "SELECT DISTINCT village_code FROM contracts WHERE village_code BETWEEN $1 AND $2 \
         ORDER BY village_code",
        ),
        root,
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}
