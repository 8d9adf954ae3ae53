//! Imports of the claims and resources registers (numbered records without cross-checks
//! beyond the collected amount of a claim).

use super::convert::{claim_draft, claim_write, resource_draft, resource_write};
use super::import::{draft_of, named, LedgerImportReport, RowCtx, CLAIM_COLUMNS, RESOURCE_COLUMNS};
use crate::tabular::Row;
use crate::Result;
use domain::ledger::{amount_covers_collected, ClaimDraft, ResourceDraft};
use domain::Fen;
use std::collections::HashMap;
use store::ledger::claims::ClaimRow;
use store::ledger::{claims, resources};
use store::AnyConnection;

pub(super) async fn claims_import(
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut RowCtx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    let mut existing: HashMap<String, ClaimRow> = HashMap::new();
    for no in named(cx.m, rows, "claim_no") {
        if let Some(c) = claims::find_by_no(conn, village, &no).await? {
            existing.insert(no, c);
        }
    }
    let mut writes = Vec::new();
    for r in rows {
        let d: ClaimDraft = draft_of(cx.m, r, CLAIM_COLUMNS);
        let stored = existing.get(d.claim_no.trim());
        match d.validate_keeping(stored.and_then(|k| k.fields.origin.as_deref())) {
            Err(errs) => cx.field_errors(r, errs),
            Ok(c) => {
                if !cx.first(r, "claim_no", &c.claim_no) {
                    continue;
                }
                if let Some(k) = stored {
                    if let Err(e) = amount_covers_collected(c.amount, Fen(k.collected_fen)) {
                        cx.field_errors(r, vec![e]);
                        continue;
                    }
                }
                writes.push((stored, claim_write(village, &c)));
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (old, w) in &writes {
        match old {
            Some(old) => {
                claims::update(conn, old.id, w).await?;
                cx.updated("claim", old.id, claim_draft(&old.fields), claim_draft(w));
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
    let mut existing: HashMap<String, resources::ResourceRow> = HashMap::new();
    for no in named(cx.m, rows, "resource_no") {
        if let Some(r) = resources::find_by_no(conn, village, &no).await? {
            existing.insert(no, r);
        }
    }
    let mut writes = Vec::new();
    for r in rows {
        let d: ResourceDraft = draft_of(cx.m, r, RESOURCE_COLUMNS);
        match d.validate() {
            Err(errs) => cx.field_errors(r, errs),
            Ok(res) => {
                if cx.first(r, "resource_no", &res.resource_no) {
                    writes.push((
                        existing.get(&res.resource_no),
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
    for (old, w) in &writes {
        match old {
            Some(old) => {
                resources::update(conn, old.id, w).await?;
                cx.updated(
                    "resource",
                    old.id,
                    resource_draft(&old.fields),
                    resource_draft(w),
                );
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
