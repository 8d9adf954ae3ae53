//! Importing a ledger file (CSV or XLSX, Chinese or English headers), all-or-nothing: every bad
//! row is reported as file:row:column and nothing is written if there is any. A number already
//! in the village updates that record (so export → edit → re-import round-trips); a number twice
//! in one file is an error. Debt actions have no number: a row identical to a stored action
//! (debt, method, amount, date, evidence) is taken as already recorded and skipped.

use super::convert::action_write;
use super::register::import_rows;
use super::registers::ContractForm;
use super::{village_for_write, Kind};
use crate::tabular::{map_columns, read_table_off_thread, Column, Mapped, Row};
use crate::{audit, Actor, App, AppError, ImportIssue, Result};
use domain::ledger::{ClaimDraft, DebtActionDraft, DebtDraft, ResourceDraft, DEBT_RESOLVED};
use domain::message::catalogue as msg;
use domain::Fen;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use store::ledger::debts::{self, DebtRow};
use store::ledger::register::find_by_no;
use store::AnyConnection;

pub use super::columns::*;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LedgerImportReport {
    pub file: String,
    pub village: String,
    pub kind: Kind,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// debt actions already recorded
    pub skipped: usize,
    pub dry_run: bool,
}

/// A row as a draft: drafts name their fields after the columns.
pub(super) fn draft_of<D: DeserializeOwned + Default>(m: &Mapped, r: &Row, spec: &[Column]) -> D {
    let obj: serde_json::Map<String, serde_json::Value> = spec
        .iter()
        .map(|c| (c.field.to_string(), json!(m.get(r, c.field))))
        .collect();
    serde_json::from_value(serde_json::Value::Object(obj)).unwrap_or_default()
}

/// The record numbers a file names in `field`: an import reads those records only, so a
/// three-row file in a village of 200,000 debts reads three debts.
pub(super) fn named(m: &Mapped, rows: &[Row], field: &str) -> std::collections::BTreeSet<String> {
    rows.iter()
        .map(|r| m.get(r, field))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) struct RowCtx<'a> {
    pub(super) m: &'a Mapped<'a>,
    pub(super) issues: Vec<ImportIssue>,
    pub(super) seen: HashMap<String, usize>,
    /// Records the import changed: (entity, id, before, after), each audited like a form edit.
    pub(super) changed: Vec<(&'static str, i64, serde_json::Value, serde_json::Value)>,
}

impl RowCtx<'_> {
    /// Notes an updated record for the audit log, when the row changed anything. `before` and
    /// `after` are drafts, which show resident IDs masked.
    pub(super) fn updated<D: Serialize>(
        &mut self,
        entity: &'static str,
        id: i64,
        before: D,
        after: D,
    ) {
        let (before, after) = (json!(before), json!(after));
        if before != after {
            self.changed.push((entity, id, before, after));
        }
    }
    pub(super) fn field_errors(&mut self, r: &Row, errs: Vec<domain::registry::FieldError>) {
        for e in errs {
            self.issues.push(self.m.issue(r, e.field, e.message));
        }
    }
    /// False (and an issue) when the number was already on an earlier row.
    pub(super) fn first(&mut self, r: &Row, field: &str, no: &str) -> bool {
        if let Some(prev) = self.seen.insert(no.to_string(), r.number) {
            self.issues.push(self.m.issue(
                r,
                field,
                msg::DUPLICATE_NUMBER.with(&[("no", &no), ("prev", &prev)]),
            ));
            false
        } else {
            true
        }
    }
}

pub async fn import(
    app: &App,
    actor: &Actor,
    village: &str,
    kind: Kind,
    file: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<LedgerImportReport> {
    village_for_write(app, actor, village).await?;
    let table = read_table_off_thread(file, bytes, &app.config.import)
        .await
        .map_err(AppError::import)?;
    let spec = columns(kind);
    let m = map_columns(&table, spec).map_err(AppError::import)?;
    let mut cx = RowCtx {
        m: &m,
        issues: Vec::new(),
        seen: HashMap::new(),
        changed: Vec::new(),
    };
    let mut report = LedgerImportReport {
        file: file.to_string(),
        village: village.to_string(),
        kind,
        rows: table.rows.len(),
        created: 0,
        updated: 0,
        skipped: 0,
        dry_run,
    };
    let mut tx = super::begin_write(app, village).await?;
    let (conn, rows, cx_, rep) = (&mut *tx, &table.rows, &mut cx, &mut report);
    let numbers = match kind {
        Kind::Contracts => import_rows::<ContractForm>(app, conn, village, rows, cx_, rep).await?,
        Kind::Debts => import_rows::<DebtDraft>(app, conn, village, rows, cx_, rep).await?,
        Kind::DebtActions => actions_import(conn, village, rows, cx_, rep).await?,
        Kind::Claims => import_rows::<ClaimDraft>(app, conn, village, rows, cx_, rep).await?,
        Kind::Resources => import_rows::<ResourceDraft>(app, conn, village, rows, cx_, rep).await?,
    };
    if !cx.issues.is_empty() {
        let mut issues = cx.issues;
        issues.sort_by_key(|i| i.row);
        return Err(AppError::import(issues));
    }
    for (entity, id, before, after) in &cx.changed {
        audit::record(
            &mut tx,
            actor,
            &format!("ledger.{entity}.update"),
            entity,
            id,
            village,
            json!({"before": before, "after": after, "import": file}),
        )
        .await?;
    }
    let summary = json!({"report": report, "numbers": numbers});
    audit::import_done(tx, actor, "ledger.import", file, village, summary, dry_run).await?;
    Ok(report)
}

async fn actions_import(
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut RowCtx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    // debt number → (id, principal, resolved so far), for the debts the file names only.
    let mut debts_by_no: HashMap<String, (i64, i64, i64)> = HashMap::new();
    let mut actions = Vec::new();
    for no in named(cx.m, rows, "debt_no") {
        if let Some(d) = find_by_no::<DebtRow>(conn, village, &no).await? {
            debts_by_no.insert(d.fields.debt_no.clone(), (d.id, d.fields.principal_fen, 0));
            actions.extend(debts::actions_of_debt(conn, d.id).await?);
        }
    }
    let mut stored: HashMap<(String, String, i64, String, String), usize> = HashMap::new();
    for a in actions {
        if let Some(e) = debts_by_no.get_mut(&a.debt_no) {
            e.2 += a.fields.amount_fen;
        }
        let key = (
            a.debt_no.clone(),
            a.fields.method.clone(),
            a.fields.amount_fen,
            a.fields.acted_on.clone(),
            a.fields.evidence.clone().unwrap_or_default(),
        );
        *stored.entry(key).or_insert(0) += 1;
    }
    let mut writes = Vec::new();
    for r in rows {
        let d: DebtActionDraft = draft_of(cx.m, r, ACTION_COLUMNS);
        let a = match d.validate() {
            Err(errs) => {
                cx.field_errors(r, errs);
                continue;
            }
            Ok(a) => a,
        };
        let Some(entry) = debts_by_no.get_mut(&a.debt_no) else {
            cx.issues.push(cx.m.issue(
                r,
                "debt_no",
                msg::NO_DEBT_IN_VILLAGE.with(&[("no", &a.debt_no), ("village", &village)]),
            ));
            continue;
        };
        let w = action_write(village, entry.0, &a);
        let key = (
            a.debt_no.clone(),
            w.method.clone(),
            w.amount_fen,
            w.acted_on.clone(),
            w.evidence.clone().unwrap_or_default(),
        );
        if let Some(n) = stored.get_mut(&key).filter(|n| **n > 0) {
            *n -= 1;
            report.skipped += 1;
            continue;
        }
        match DEBT_RESOLVED.apply(Fen(entry.1), Fen(entry.2), a.amount) {
            Err(e) => cx.issues.push(cx.m.issue(
                r,
                "amount_yuan",
                msg::ON_DEBT.wrap_with("why", &e.text(), &[("no", &a.debt_no)]),
            )),
            Ok(next) => {
                entry.2 = next.0;
                writes.push((a.debt_no.clone(), w));
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let mut numbers = Vec::new();
    for (no, w) in &writes {
        debts::insert_action(conn, w).await?;
        report.created += 1;
        numbers.push(no.clone());
    }
    Ok(numbers)
}
