//! Collective resources (资源): land and assets, with their contract status.

use super::parents;
use crate::{now_text, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceWrite {
    pub village_code: String,
    pub resource_no: String,
    pub kind: String,
    pub name: Option<String>,
    pub area_mu_x100: Option<i64>,
    pub location: Option<String>,
    pub status: String,
    pub contract_no: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    pub id: i64,
    pub fields: ResourceWrite,
}

const SELECT: &str = "SELECT id, village_code, resource_no, kind, name, area_mu_x100, location, \
    status, contract_no, note FROM resources";

fn from_row(r: &AnyRow) -> Result<ResourceRow> {
    Ok(ResourceRow {
        id: r.try_get("id")?,
        fields: ResourceWrite {
            village_code: r.try_get("village_code")?,
            resource_no: r.try_get("resource_no")?,
            kind: r.try_get("kind")?,
            name: r.try_get("name")?,
            area_mu_x100: r.try_get("area_mu_x100")?,
            location: r.try_get("location")?,
            status: r.try_get("status")?,
            contract_no: r.try_get("contract_no")?,
            note: r.try_get("note")?,
        },
    })
}

pub async fn of_village(conn: &mut AnyConnection, village: &str) -> Result<Vec<ResourceRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE village_code = $1 ORDER BY resource_no"
    ))
    .bind(village)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<ResourceRow>> {
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
) -> Result<Option<ResourceRow>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE village_code = $1 AND resource_no = $2"
    ))
    .bind(village)
    .bind(no)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn insert(conn: &mut AnyConnection, r: &ResourceWrite) -> Result<i64> {
    let now = now_text();
    let (township, county) = parents(&r.village_code);
    let row = sqlx::query(
        "INSERT INTO resources (village_code, township_code, county_code, resource_no, kind, \
         name, area_mu_x100, location, status, contract_no, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(&r.village_code)
    .bind(township)
    .bind(county)
    .bind(&r.resource_no)
    .bind(&r.kind)
    .bind(r.name.as_deref())
    .bind(r.area_mu_x100)
    .bind(r.location.as_deref())
    .bind(&r.status)
    .bind(r.contract_no.as_deref())
    .bind(&r.note)
    .bind(&now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn update(conn: &mut AnyConnection, id: i64, r: &ResourceWrite) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE resources SET resource_no = $1, kind = $2, name = $3, area_mu_x100 = $4, \
         location = $5, status = $6, contract_no = $7, note = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&r.resource_no)
    .bind(&r.kind)
    .bind(r.name.as_deref())
    .bind(r.area_mu_x100)
    .bind(r.location.as_deref())
    .bind(&r.status)
    .bind(r.contract_no.as_deref())
    .bind(&r.note)
    .bind(now_text())
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected())
}
