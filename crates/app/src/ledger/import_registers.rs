//! Imports of the claims and resources registers (numbered records without cross-checks
//! beyond the collected amount of a claim).

use super::convert::{claim_write, resource_write};
use super::import::{draft_of, LedgerImportReport, RowCtx, CLAIM_COLUMNS, RESOURCE_COLUMNS};
use crate::tabular::Row;
use crate::Result;
use domain::ledger::{ClaimDraft, ResourceDraft};
use domain::Fen;
use std::collections::HashMap;
use store::ledger::{claims, resources};
use store::AnyConnection;

pub(super) async fn claims_import(
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut RowCtx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    let existing: HashMap<String, (i64, i64)> = claims::of_village(conn, village)
        .await?
        .into_iter()
        .map(|c| (c.fields.claim_no.clone(), (c.id, c.collected_fen)))
        .collect();
    let mut writes = Vec::new();
    for r in rows {
        let d: ClaimDraft = draft_of(cx.m, r, CLAIM_COLUMNS);
        match d.validate() {
            Err(errs) => cx.field_errors(r, errs),
            Ok(c) => {
                if !cx.first(r, "claim_no", &c.claim_no) {
                    continue;
                }
                let old = existing.get(&c.claim_no).copied();
                if let Some((_, collected)) = old.filter(|(_, k)| c.amount.0 < *k) {
                    cx.issues.push(cx.m.issue(
                        r,
                        "amount_yuan",
                        format!(
                            "the amount cannot be below what is already collected ({})",
                            Fen(collected)
                        ),
                    ));
                    continue;
                }
                writes.push((old.map(|o| o.0), claim_write(village, &c)));
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (id, w) in &writes {
        match id {
            Some(id) => {
                claims::update(conn, *id, w).await?;
                report.updated += 1;
            }
            None => {
                claims::insert(conn, w).await?;
                report.created += 1;
            }
        }
        numbers.push(w.claim_no.clone());
    }
    Ok(numbers)
}

pub(super) async fn resources_import(
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut RowCtx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    let existing: HashMap<String, i64> = resources::of_village(conn, village)
        .await?
        .into_iter()
        .map(|r| (r.fields.resource_no.clone(), r.id))
        .collect();
    let mut writes = Vec::new();
    for r in rows {
        let d: ResourceDraft = draft_of(cx.m, r, RESOURCE_COLUMNS);
        match d.validate() {
            Err(errs) => cx.field_errors(r, errs),
            Ok(res) => {
                if cx.first(r, "resource_no", &res.resource_no) {
                    writes.push((
                        existing.get(&res.resource_no).copied(),
                        resource_write(village, &res),
                    ));
                }
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (id, w) in &writes {
        match id {
            Some(id) => {
                resources::update(conn, *id, w).await?;
                report.updated += 1;
            }
            None => {
                resources::insert(conn, w).await?;
                report.created += 1;
            }
        }
        numbers.push(w.resource_no.clone());
    }
    Ok(numbers)
}
