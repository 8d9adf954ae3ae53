//! Contracts (合同) of a village collective.

use super::register::register;
use crate::rows::Run;
use crate::{now_text, Result};
use sqlx::AnyConnection;

register! {
    pub struct ContractWrite in "contracts" by contract_no {
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
    pub struct ContractRow {
        pub updated_at: String = "t.updated_at",
        /// flags on the contract (any status) and those still open
        pub flag_count: i64 = "t.flag_count",
        pub open_flag_count: i64 = "t.open_flag_count",
    }
}

pub async fn add_paid(conn: &mut AnyConnection, id: i64, amount_fen: i64) -> Result<u64> {
    sqlx::query("UPDATE contracts SET paid_fen = paid_fen + $1, updated_at = $2 WHERE id = $3")
        .bind(amount_fen)
        .bind(now_text())
        .bind(id)
        .run(conn)
        .await
}

pub async fn set_flag_counts(
    conn: &mut AnyConnection,
    id: i64,
    total: i64,
    open: i64,
) -> Result<u64> {
    sqlx::query("UPDATE contracts SET flag_count = $1, open_flag_count = $2 WHERE id = $3")
        .bind(total)
        .bind(open)
        .bind(id)
        .run(conn)
        .await
}

/// Recounts one contract's flags from `contract_flags` (after a rectification update).
pub async fn refresh_flag_counts(conn: &mut AnyConnection, id: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE contracts SET flag_count = (SELECT COUNT(*) FROM contract_flags f WHERE f.contract_id = $1), \
         open_flag_count = (SELECT COUNT(*) FROM contract_flags f WHERE f.contract_id = $1 AND f.status = 'open') \
         WHERE id = $1",
    )
    .bind(id)
    .run(conn)
    .await
}

/// Villages under `root` that have contracts (to recompute after a county changes its rules).
pub async fn villages_with_contracts(conn: &mut AnyConnection, root: &str) -> Result<Vec<String>> {
    let q = sqlx::query(
        "SELECT DISTINCT village_code FROM contracts WHERE village_code BETWEEN $1 AND $2 \
         ORDER BY village_code",
    );
    crate::sqlbuild::bind_subtree(q, root).read_all(conn).await
}
