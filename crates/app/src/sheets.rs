//! Writing tables people open in Excel: CSV and XLSX, every cell as text.

use crate::{AppError, Result};

/// A CSV (UTF-8 with BOM, so Excel reads Chinese) of a header and text rows.
pub fn csv_bytes(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>> {
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

/// An XLSX of one sheet: a bold header row, every cell text.
pub fn xlsx_bytes(header: &[String], rows: &[Vec<String>], sheet: &str) -> Result<Vec<u8>> {
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
