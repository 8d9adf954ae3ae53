//! One generic ledger register in the application: a [`Register`] says what differs between
//! contracts, debts, claims and resources (validation, the stored row, the amount a change must
//! still cover, what follows a write); [`save`] (a form's create or update) and [`import_rows`]
//! (a file's rows) are written once for all four.

use super::import::{draft_of, named, LedgerImportReport, RowCtx};
use super::{columns, village_for_write, Kind};
use crate::tabular::Row;
use crate::{audit, Actor, App, AppError, Result};
use domain::message::catalogue as msg;
use domain::registry::FieldError;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use store::ledger::register::{self as table, Register as _};
use store::AnyConnection;

/// A numbered register as the application sees it. Implemented by each register's draft (the
/// import/export layout, named after the columns).
// Implemented only inside this crate, used with concrete registers: the futures of the `async
// fn`s keep their `Send` (the lint's concern is generic callers outside).
#[allow(async_fn_in_trait)]
pub trait Register: DeserializeOwned + Default + Clone + Send + Sync + Sized {
    const KIND: Kind;
    type Row: table::Register<Write = Self::Write> + Send + Sync;
    type Write: store::ledger::register::Columns + Send + Sync;
    type Valid: Send + Sync;

    /// Validates the draft; `stored` is the record it changes, if any.
    fn check(
        &self,
        stored: Option<&Self::Row>,
    ) -> std::result::Result<Self::Valid, Vec<FieldError>>;
    fn number(v: &Self::Valid) -> &str;
    /// The row to store (`stored`: the record changed, whose secrets a masked ID keeps).
    fn write(
        app: &App,
        village: &str,
        v: &Self::Valid,
        stored: Option<&Self::Row>,
    ) -> Result<Self::Write>;
    /// The stored row as shown in audit entries and exports (resident IDs masked).
    fn shown(w: &Self::Write) -> Value;

    /// What a stored record has already settled (resolved, collected) in fen.
    async fn settled(_conn: &mut AnyConnection, _stored: &Self::Row) -> Result<i64> {
        Ok(0)
    }
    /// Whether a change keeps covering what is settled (the domain's rule for the register).
    fn covers(_v: &Self::Valid, _settled: i64) -> std::result::Result<(), FieldError> {
        Ok(())
    }
    /// What follows a form's write in its transaction (contracts: renamed references, flags).
    async fn after_save(
        _conn: &mut AnyConnection,
        _village: &str,
        _before: Option<&Self::Row>,
        _w: &Self::Write,
    ) -> Result<()> {
        Ok(())
    }
    /// What follows an import's writes in its transaction.
    async fn after_import(_conn: &mut AnyConnection, _village: &str) -> Result<()> {
        Ok(())
    }
    /// Extra facts of the audit entry of a form's write.
    fn audit_extra(_w: &Self::Write, _entry: &mut serde_json::Map<String, Value>) {}
}

fn taken(field: &'static str) -> AppError {
    AppError::field(field, msg::NUMBER_TAKEN_IN_VILLAGE)
}

/// Creates (`id` None) or updates a record of a village: permission, the stored record within
/// the village, validation, a free number, what is settled still covered, the write, what
/// follows it, the audit entry, one transaction.
pub async fn save<R: Register>(
    app: &App,
    actor: &Actor,
    village: &str,
    id: Option<i64>,
    draft: &R,
) -> Result<i64> {
    village_for_write(app, actor, village).await?;
    let entity = R::KIND.entity();
    let mut tx = super::begin_write(app, village).await?;
    let before = match id {
        Some(id) => Some(
            table::get_in::<R::Row>(&mut tx, village, id)
                .await?
                .ok_or_else(|| {
                    AppError::not_found(*msg::thing(entity).unwrap_or(&msg::RECORD), id)
                })?,
        ),
        None => None,
    };
    let v = draft.check(before.as_ref()).map_err(AppError::Invalid)?;
    let number = <R::Row as table::Register>::TABLE.number;
    if let Some(other) = table::find_by_no::<R::Row>(&mut tx, village, R::number(&v)).await? {
        if Some(other.id()) != id {
            return Err(taken(number));
        }
    }
    if let Some(b) = &before {
        let settled = R::settled(&mut tx, b).await?;
        R::covers(&v, settled).map_err(|e| AppError::Invalid(vec![e]))?;
    }
    let w = R::write(app, village, &v, before.as_ref())?;
    let id = match id {
        Some(id) => {
            table::update::<R::Row>(&mut tx, id, &w).await?;
            id
        }
        None => table::insert::<R::Row>(&mut tx, &w).await?,
    };
    R::after_save(&mut tx, village, before.as_ref(), &w).await?;
    let verb = if before.is_some() { "update" } else { "create" };
    let mut entry = serde_json::Map::new();
    entry.insert(
        "before".into(),
        before.map(|b| R::shown(b.fields())).unwrap_or(Value::Null),
    );
    entry.insert("after".into(), R::shown(&w));
    R::audit_extra(&w, &mut entry);
    let action = format!("ledger.{entity}.{verb}");
    audit::record(
        &mut tx,
        actor,
        &action,
        entity,
        id,
        village,
        Value::Object(entry),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Validates every row of a register's file; writes only if no row had a problem (a number
/// already in the village updates that record). Returns the numbers written.
pub(super) async fn import_rows<R: Register>(
    app: &App,
    conn: &mut AnyConnection,
    village: &str,
    rows: &[Row],
    cx: &mut RowCtx<'_>,
    report: &mut LedgerImportReport,
) -> Result<Vec<String>> {
    let number = <R::Row as table::Register>::TABLE.number;
    // Only the records the file names, each with what it has settled.
    let mut existing: HashMap<String, (R::Row, i64)> = HashMap::new();
    for no in named(cx.m, rows, number) {
        if let Some(row) = table::find_by_no::<R::Row>(conn, village, &no).await? {
            let settled = R::settled(conn, &row).await?;
            existing.insert(no, (row, settled));
        }
    }
    let mut writes = Vec::new();
    for r in rows {
        let d: R = draft_of(cx.m, r, columns(R::KIND));
        let stored = existing.get(cx.m.get(r, number).trim());
        match d.check(stored.map(|s| &s.0)) {
            Err(errs) => cx.field_errors(r, errs),
            Ok(v) => {
                if !cx.first(r, number, R::number(&v)) {
                    continue;
                }
                if let Some(Err(e)) = stored.map(|s| R::covers(&v, s.1)) {
                    cx.field_errors(r, vec![e]);
                    continue;
                }
                // No row is written after a problem: spare the work (contracts encrypt IDs).
                if cx.issues.is_empty() {
                    let old = stored.map(|s| &s.0);
                    let no = R::number(&v).to_string();
                    writes.push((old, R::write(app, village, &v, old)?, no));
                }
            }
        }
    }
    if !cx.issues.is_empty() {
        return Ok(Vec::new());
    }
    let entity = R::KIND.entity();
    let mut numbers = Vec::new();
    for (old, w, no) in writes {
        match old {
            Some(old) => {
                table::update::<R::Row>(conn, old.id(), &w).await?;
                cx.updated(entity, old.id(), R::shown(old.fields()), R::shown(&w));
                report.updated += 1;
            }
            None => {
                table::insert::<R::Row>(conn, &w).await?;
                report.created += 1;
            }
        }
        numbers.push(no);
    }
    R::after_import(conn, village).await?;
    Ok(numbers)
}
