//! Each county's flag rules, stored as the TOML text the county wrote.

use crate::rows::Run;
use crate::{now_text, Result};
use sqlx::AnyConnection;

pub async fn get(conn: &mut AnyConnection, county: &str) -> Result<Option<String>> {
    sqlx::query("SELECT rules_toml FROM ledger_rules WHERE county_code = $1")
        .bind(county)
        .read_optional(conn)
        .await
}

pub async fn set(conn: &mut AnyConnection, county: &str, toml: &str) -> Result<()> {
    let now = now_text();
    let n = sqlx::query(
        "UPDATE ledger_rules SET rules_toml = $1, updated_at = $2 WHERE county_code = $3",
    )
    .bind(toml)
    .bind(&now)
    .bind(county)
    .run(&mut *conn)
    .await?;
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
