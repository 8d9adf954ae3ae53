//! Exports in the import layout: the header row is the import column names, every value is
//! text as the import reads it, so export → edit → re-import round-trips. Resident IDs appear
//! masked; a masked ID on re-import keeps the stored one.

use super::import::columns;
use super::view::{load, VillageLedger};
use super::Kind;
use crate::{Actor, App, AppError, Result};
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
            other => Err(AppError::BadRequest(format!(
                "unknown format '{other}' (csv, xlsx)"
            ))),
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
            other => Err(AppError::BadRequest(format!(
                "unknown headers '{other}' (fields, zh)"
            ))),
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

/// Header and rows of one ledger in the import layout.
pub fn table(
    ledger: &VillageLedger,
    kind: Kind,
    headers: Headers,
) -> (Vec<String>, Vec<Vec<String>>) {
    let fields: Vec<&str> = columns(kind).iter().map(|c| c.field).collect();
    let mut rows: Vec<Vec<String>> = match kind {
        Kind::Contracts => ledger
            .contracts
            .iter()
            .map(|c| cells(&c.draft, &fields))
            .collect(),
        Kind::Debts => ledger
            .debts
            .iter()
            .map(|d| cells(&d.draft, &fields))
            .collect(),
        Kind::DebtActions => ledger
            .debts
            .iter()
            .flat_map(|d| d.actions.iter().map(|a| cells(&a.draft, &fields)))
            .collect(),
        Kind::Claims => ledger
            .claims
            .iter()
            .map(|c| cells(&c.draft, &fields))
            .collect(),
        Kind::Resources => ledger
            .resources
            .iter()
            .map(|r| cells(&r.draft, &fields))
            .collect(),
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

fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let fail = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    w.write_record(header).map_err(fail)?;
    // A cell that a spreadsheet would run as a formula goes out with a `'` in front; the
    // import takes it off again (domain::cell).
    for r in rows {
        w.write_record(r.iter().map(|c| domain::cell::neutralise(c).into_owned()))
            .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}

fn xlsx_bytes(header: &[String], rows: &[Vec<String>], sheet: &str) -> Result<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(fail)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)
            .map_err(fail)?;
    }
    // Every cell is text: IDs, numbers and dates stay exactly as the import reads them.
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string((i + 1) as u32, c as u16, v).map_err(fail)?;
            }
        }
    }
    wb.save_to_buffer().map_err(fail)
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
        Format::Csv => csv_bytes(&header, &rows)?,
        Format::Xlsx => xlsx_bytes(&header, &rows, kind.as_str())?,
    };
    Ok((
        format!("{village}-{}.{}", kind.as_str(), format.extension()),
        bytes,
    ))
}
