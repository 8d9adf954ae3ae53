//! Versions of what public pages show (migration 0009): database triggers bump the version of
//! a unit code whenever a row shown on that unit's public pages changes, whichever process
//! wrote it.

use crate::Result;
use sqlx::{AnyConnection, Row};

/// The sum of the versions of `scopes` (unit codes). Versions only grow, so the sum changes
/// exactly when one of the scopes was bumped.
pub async fn version(conn: &mut AnyConnection, scopes: &[String]) -> Result<i64> {
    if scopes.is_empty() {
        return Ok(0);
    }
    let placeholders: Vec<String> = (1..=scopes.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM public_page_versions \
         WHERE scope IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for s in scopes {
        q = q.bind(s.as_str());
    }
    let row = q.fetch_one(conn).await?;
    Ok(row.try_get::<i64, _>(0)?)
}
