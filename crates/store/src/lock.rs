//! Locks for "read a running total, check it, then write" sequences.
//!
//! On PostgreSQL two transactions under READ COMMITTED can both read the same total and both
//! insert, breaking "resolved ≤ principal" or "collected ≤ amount". Locking the village first
//! makes the second writer wait until the first commits; its next statement then sees the new
//! total. On SQLite every write transaction starts with `BEGIN IMMEDIATE` and so already runs
//! alone: the lock is a no-op there.

use crate::Result;
use sqlx::AnyConnection;

pub(crate) fn is_postgres(conn: &AnyConnection) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// Locks a village's ledgers until the end of the caller's transaction (PostgreSQL
/// `SELECT … FOR NO KEY UPDATE` on its unit row: the "NO KEY" lets rows that merely refer to
/// the unit, such as new households, still be written meanwhile).
pub async fn lock_village(conn: &mut AnyConnection, village: &str) -> Result<()> {
    if is_postgres(conn) {
        sqlx::query("SELECT code FROM units WHERE code = $1 FOR NO KEY UPDATE")
            .bind(village)
            .fetch_optional(conn)
            .await?;
    }
    Ok(())
}
