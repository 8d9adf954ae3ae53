//! Per-village figures of a whole scope (township, county), aggregated in SQL: one GROUP BY
//! village_code per table, over the `(village_code, …)` indexes, never one query per village.

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

/// Runs one `GROUP BY village_code` query over the subtree `lo..=hi` (its first column the
/// village code) and hands each row to `set` with the village's figures.
async fn each(
    conn: &mut AnyConnection,
    map: &mut BTreeMap<String, VillageFigures>,
    (lo, hi): (&str, &str),
    sql: &str,
    set: impl Fn(&mut VillageFigures, &AnyRow) -> Result<()>,
) -> Result<()> {
    let rows = sqlx::query(sql).bind(lo).bind(hi).fetch_all(conn).await?;
    for r in &rows {
        if let Some(v) = map.get_mut(&r.try_get::<String, _>(0)?) {
            set(v, r)?;
        }
    }
    Ok(())
}

/// Every village under `root` (including ones without any ledger yet), in code order.
pub async fn villages(conn: &mut AnyConnection, root: &str) -> Result<Vec<VillageFigures>> {
    // The subtree as an index range on `village_code`.
    let (lo, hi) = domain::registry::subtree_bounds(root);
    let b = (lo.as_str(), hi.as_str());
    let mut map: BTreeMap<String, VillageFigures> = BTreeMap::new();
    let units = sqlx::query(
        "SELECT code, name FROM units WHERE level = 'village' AND code BETWEEN $1 AND $2",
    )
    .bind(&lo)
    .bind(&hi)
    .fetch_all(&mut *conn)
    .await?;
    for u in &units {
        let code: String = u.try_get(0)?;
        map.insert(
            code.clone(),
            VillageFigures {
                village_code: code,
                village_name: u.try_get(1)?,
                ..Default::default()
            },
        );
    }
    each(
        conn,
        &mut map,
        b,
        "SELECT village_code, COUNT(*), CAST(COALESCE(SUM(CASE WHEN kind IN ('construction', \
         'procurement') THEN 0 ELSE annual_rent_fen END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN flag_count > 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN flag_count > 0 AND open_flag_count = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(open_flag_count), 0) AS BIGINT) FROM contracts \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        |v, r| {
            v.contracts = r.try_get(1)?;
            v.annual_rent_fen = r.try_get(2)?;
            v.flagged = r.try_get(3)?;
            v.rectified = r.try_get(4)?;
            v.open_flags = r.try_get(5)?;
            Ok(())
        },
    )
    .await?;
    each(
        conn,
        &mut map,
        b,
        "SELECT village_code, code, COUNT(*) FROM contract_flags \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code, code",
        |v, r| {
            v.flags_by_code.insert(r.try_get(1)?, r.try_get(2)?);
            Ok(())
        },
    )
    .await?;
    each(
        conn,
        &mut map,
        b,
        "SELECT village_code, COUNT(*), CAST(COALESCE(SUM(principal_fen), 0) AS BIGINT) FROM debts \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        |v, r| {
            v.debts = r.try_get(1)?;
            v.principal_fen = r.try_get(2)?;
            Ok(())
        },
    )
    .await?;
    each(
        conn,
        &mut map,
        b,
        "SELECT village_code, method, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM debt_actions \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code, method",
        |v, r| {
            v.by_method_fen.insert(r.try_get(1)?, r.try_get(2)?);
            Ok(())
        },
    )
    .await?;
    each(
        conn,
        &mut map,
        b,
        "SELECT village_code, COUNT(*), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM claims \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        |v, r| {
            v.claims = r.try_get(1)?;
            v.claim_amount_fen = r.try_get(2)?;
            Ok(())
        },
    )
    .await?;
    each(
        conn,
        &mut map,
        b,
        "SELECT village_code, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM claim_collections \
         WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        |v, r| {
            v.collected_fen = r.try_get(1)?;
            Ok(())
        },
    )
    .await?;
    each(
        conn,
        &mut map,
        b,
        "SELECT village_code, COUNT(*), CAST(COALESCE(SUM(area_mu_x100), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'idle' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'occupied_without_contract' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM resources WHERE village_code BETWEEN $1 AND $2 GROUP BY village_code",
        |v, r| {
            v.resources = r.try_get(1)?;
            v.area_mu_x100 = r.try_get(2)?;
            v.idle = r.try_get(3)?;
            v.occupied_without_contract = r.try_get(4)?;
            Ok(())
        },
    )
    .await?;
    Ok(map.into_values().collect())
}
