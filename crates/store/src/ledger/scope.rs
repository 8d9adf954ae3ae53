//! Per-village figures of a whole scope (township, county), aggregated in SQL: one GROUP BY
//! village_code per table, over the `(village_code, …)` indexes, never one query per village.

use crate::rows::Run;
use crate::sqlbuild::bind_subtree;
use crate::Result;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageFigures {
    pub village_code: String,
    pub village_name: String,
    pub contracts: i64,
    pub annual_rent_fen: i64,
    pub flagged: i64,
    pub rectified: i64,
    pub open_flags: i64,
    pub flags_by_code: BTreeMap<String, i64>,
    pub debts: i64,
    pub principal_fen: i64,
    /// resolved amounts by method code
    pub by_method_fen: BTreeMap<String, i64>,
    pub claims: i64,
    pub claim_amount_fen: i64,
    pub collected_fen: i64,
    pub resources: i64,
    pub area_mu_x100: i64,
    pub idle: i64,
    pub occupied_without_contract: i64,
}

/// What one pass fills, from its columns after the village code.
enum Fill {
    /// Figures, one column each, in order.
    Figures(for<'a> fn(&'a mut VillageFigures) -> Vec<&'a mut i64>),
    /// A map from the second column to the third.
    ByKey(for<'a> fn(&'a mut VillageFigures) -> &'a mut BTreeMap<String, i64>),
}

/// One `GROUP BY village_code` query per table over the subtree `$1..=$2` (its first column
/// the village code), and the figures each fills.
const PASSES: [(&str, Fill); 7] = [
    (
        "SELECT village_code, COUNT(*), CAST(COALESCE(SUM(CASE WHEN kind IN ('construction', \
         'procurement') THEN 0 ELSE annual_rent_fen END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN flag_count > 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN flag_count > 0 AND open_flag_count = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(open_flag_count), 0) AS BIGINT) FROM contracts \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        Fill::Figures(|v| {
            vec![
                &mut v.contracts,
                &mut v.annual_rent_fen,
                &mut v.flagged,
                &mut v.rectified,
                &mut v.open_flags,
            ]
        }),
    ),
    (
        "SELECT village_code, code, COUNT(*) FROM contract_flags \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code, code",
        Fill::ByKey(|v| &mut v.flags_by_code),
    ),
    (
        "SELECT village_code, COUNT(*), CAST(COALESCE(SUM(principal_fen), 0) AS BIGINT) FROM debts \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        Fill::Figures(|v| vec![&mut v.debts, &mut v.principal_fen]),
    ),
    (
        "SELECT village_code, method, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM debt_actions \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code, method",
        Fill::ByKey(|v| &mut v.by_method_fen),
    ),
    (
        "SELECT village_code, COUNT(*), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM claims \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        Fill::Figures(|v| vec![&mut v.claims, &mut v.claim_amount_fen]),
    ),
    (
        "SELECT village_code, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM claim_collections \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        Fill::Figures(|v| vec![&mut v.collected_fen]),
    ),
    (
        "SELECT village_code, COUNT(*), CAST(COALESCE(SUM(area_mu_x100), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'idle' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'occupied_without_contract' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM resources WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        Fill::Figures(|v| {
            vec![
                &mut v.resources,
                &mut v.area_mu_x100,
                &mut v.idle,
                &mut v.occupied_without_contract,
            ]
        }),
    ),
];

/// Fills a village's figures from one row of a pass.
fn fill(v: &mut VillageFigures, how: &Fill, r: &AnyRow) -> Result<()> {
    match how {
        Fill::Figures(fields) => {
            for (i, f) in fields(v).into_iter().enumerate() {
                *f = r.try_get(i + 1)?;
            }
        }
        Fill::ByKey(map) => {
            map(v).insert(r.try_get(1)?, r.try_get(2)?);
        }
    }
    Ok(())
}

/// Every village under `root` (including ones without any ledger yet), in code order.
pub async fn villages(conn: &mut AnyConnection, root: &str) -> Result<Vec<VillageFigures>> {
    let mut map: BTreeMap<String, VillageFigures> = BTreeMap::new();
    let units: Vec<(String, String)> = bind_subtree(
        sqlx::query(
            "SELECT code, name FROM units WHERE level = 'village' AND code BETWEEN $1 AND $2",
        ),
        root,
    )
    .read_all(&mut *conn)
    .await?;
    for (code, name) in units {
        map.insert(
            code.clone(),
            VillageFigures {
                village_code: code,
                village_name: name,
                ..Default::default()
            },
        );
    }
    // The subtree as an index range on `village_code`.
    for (sql, how) in &PASSES {
        let rows = bind_subtree(sqlx::query(sql), root)
            .fetch_all(&mut *conn)
            .await?;
        for r in &rows {
            if let Some(v) = map.get_mut(&r.try_get::<String, _>(0)?) {
                fill(v, how, r)?;
            }
        }
    }
    Ok(map.into_values().collect())
}
