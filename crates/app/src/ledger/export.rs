//! Exports in the import layout: the header row is the import column names, every value is
//! text as the import reads it, so export → edit → re-import round-trips. Resident IDs appear
//! masked; a masked ID on re-import keeps the stored one.

use super::import::columns;
use super::view::{load, VillageLedger};
use super::Kind;
use crate::{Actor, App, AppError, Result};
use domain::message::catalogue as msg;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            other => Err(AppError::BadRequest(
                msg::UNKNOWN_FORMAT.with(&[("value", &other), ("known", &"csv, xlsx")]),
            )),
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// The header row: the import's field names (stable, for machines and scripts) or each
/// column's first Chinese name (for people; the import reads both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Headers {
    #[default]
    Fields,
    Chinese,
}

impl Headers {
    pub fn parse(s: &str) -> Result<Headers> {
        match s.trim() {
            "" | "fields" => Ok(Headers::Fields),
            "zh" => Ok(Headers::Chinese),
            other => Err(AppError::BadRequest(
                msg::UNKNOWN_HEADERS.with(&[("value", &other), ("known", &"fields, zh")]),
            )),
        }
    }
}

fn cells<T: Serialize>(draft: &T, fields: &[&str]) -> Vec<String> {
    let v = serde_json::to_value(draft).unwrap_or_default();
    fields
        .iter()
        .map(|f| v.get(*f).and_then(|x| x.as_str()).unwrap_or("").to_string())
        .collect()
}

/// [`cells`] of each draft.
fn all_cells<'a, T: Serialize + 'a>(
    drafts: impl Iterator<Item = &'a T>,
    fields: &[&str],
) -> Vec<Vec<String>> {
    drafts.map(|d| cells(d, fields)).collect()
}

/// Header and rows of one ledger in the import layout.
pub fn table(
    ledger: &VillageLedger,
    kind: Kind,
    headers: Headers,
) -> (Vec<String>, Vec<Vec<String>>) {
    let fields: Vec<&str> = columns(kind).iter().map(|c| c.field).collect();
    let f = &fields;
    let mut rows = match kind {
        Kind::Contracts => all_cells(ledger.contracts.iter().map(|c| &c.draft), f),
        Kind::Debts => all_cells(ledger.debts.iter().map(|d| &d.draft), f),
        Kind::DebtActions => {
            let actions = ledger.debts.iter().flat_map(|d| &d.actions);
            all_cells(actions.map(|a| &a.draft), f)
        }
        Kind::Claims => all_cells(ledger.claims.iter().map(|c| &c.draft), f),
        Kind::Resources => all_cells(ledger.resources.iter().map(|r| &r.draft), f),
    };
    if kind != Kind::DebtActions {
        rows.sort();
    }
    let header = columns(kind)
        .iter()
        .map(|c| match headers {
            Headers::Chinese => c.aliases.first().copied().unwrap_or(c.field).to_string(),
            Headers::Fields => c.field.to_string(),
        })
        .collect();
    (header, rows)
}

/// The file name and bytes of one ledger of a village.
pub async fn export(
    app: &App,
    actor: &Actor,
    village: &str,
    kind: Kind,
    format: Format,
    headers: Headers,
) -> Result<(String, Vec<u8>)> {
    let ledger = load(app, actor, village).await?;
    let (header, rows) = table(&ledger, kind, headers);
    let bytes = match format {
        Format::Csv => crate::sheets::csv_bytes(&header, &rows)?,
        Format::Xlsx => crate::sheets::xlsx_bytes(&header, &rows, kind.as_str())?,
    };
    Ok((
        format!("{village}-{}.{}", kind.as_str(), format.extension()),
        bytes,
    ))
}
