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

/// Bumps the version of a round's unit: for writes the triggers leave to the code (assessment
/// rows on SQLite, see migration 0009). Call inside the write's transaction.
pub async fn bump_round(conn: &mut AnyConnection, round_id: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO public_page_versions (scope, version) SELECT unit_code, 1 FROM credit_rounds \
         WHERE id = $1 ON CONFLICT (scope) DO UPDATE SET version = public_page_versions.version + 1",
    )
    .bind(round_id)
    .execute(conn)
    .await?;
    Ok(())
}
