//! Each county's flag rules, stored as the TOML text the county wrote.

use crate::{now_text, Result};
use sqlx::{AnyConnection, Row};

pub async fn get(conn: &mut AnyConnection, county: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT rules_toml FROM ledger_rules WHERE county_code = $1")
        .bind(county)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

pub async fn set(conn: &mut AnyConnection, county: &str, toml: &str) -> Result<()> {
    let now = now_text();
    let n = sqlx::query(
        "UPDATE ledger_rules SET rules_toml = $1, updated_at = $2 WHERE county_code = $3",
    )
    .bind(toml)
    .bind(&now)
    .bind(county)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        sqlx::query(
            "INSERT INTO ledger_rules (county_code, rules_toml, updated_at) VALUES ($1, $2, $3)",
        )
        .bind(county)
        .bind(toml)
        .bind(&now)
        .execute(conn)
        .await?;
    }
    Ok(())
}
