//! Reading the tables people actually have: CSV (UTF-8, UTF-16 or the GB18030 that Excel
//! writes on Chinese Windows) and XLSX (first sheet), with Chinese or English headers. Every
//! problem is located as file:row:column; hostile files are bounded by [`Limits`].

use crate::ImportIssue;
use domain::message::{catalogue as msg, Text};
pub use limits::Limits;

pub mod limits;
mod stream;
mod text;
mod xlsx;

pub use stream::{read_table_off_thread, stream_table, RowStream};

/// One data row, its cells packed in one string (a 200,000-row file is 2 million cells: one
/// allocation per cell would triple the import's memory).
#[derive(Debug, Clone)]
pub struct Row {
    /// Spreadsheet row number (the header is row 1).
    pub number: usize,
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Row {
    pub fn new<S: AsRef<str>>(number: usize, cells: impl IntoIterator<Item = S>) -> Row {
        let (mut text, mut ends) = (String::new(), Vec::new());
        for c in cells {
            text.push_str(c.as_ref());
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Row {
            number,
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// The `i`th cell as written (None beyond the row's last cell).
    pub fn cell(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).filter_map(|i| self.cell(i))
    }

    /// Every cell empty or whitespace (the cells are packed in one string, so: that string is).
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One expected column: its field name (the English header), other accepted headers, and
/// whether it is required.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub field: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

pub const fn col(field: &'static str, aliases: &'static [&'static str], required: bool) -> Column {
    Column {
        field,
        aliases,
        required,
    }
}

pub(crate) fn issue(
    file: &str,
    row: usize,
    column: &str,
    message: impl Into<domain::message::Text>,
) -> ImportIssue {
    ImportIssue {
        file: file.to_string(),
        row,
        column: column.to_string(),
        message: message.into(),
        more: 0,
    }
}

pub(crate) fn too_long(limits: &Limits) -> Text {
    msg::CELL_TOO_LONG.with(&[("max", &limits.max_cell_chars)])
}

/// One record as a [`Row`], each cell checked against the column and length limits (an
/// over-long cell is reported and kept empty, so one bad cell gives one issue). The cells go
/// straight into the row's one string: no allocation per cell.
pub(crate) fn checked_row<'a>(
    file: &str,
    number: usize,
    record: impl Iterator<Item = &'a str>,
    limits: &Limits,
    errors: &mut Vec<ImportIssue>,
) -> Row {
    let (mut text, mut ends) = (String::new(), Vec::new());
    // Cells up to the last non-empty one: trailing empty cells carry nothing.
    let mut kept = 0;
    for (c, cell) in record.enumerate() {
        if c >= limits.max_columns {
            if !cell.trim().is_empty() {
                errors.push(issue(
                    file,
                    number,
                    &column_letter(c),
                    msg::TOO_MANY_COLUMNS.with(&[("max", &limits.max_columns)]),
                ));
                break;
            }
            continue;
        }
        if cell.len() > limits.max_cell_chars && cell.chars().count() > limits.max_cell_chars {
            errors.push(issue(file, number, &column_letter(c), too_long(limits)));
        } else if !cell.is_empty() {
            text.push_str(cell);
            kept = c + 1;
        }
        ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
    }
    ends.truncate(kept);
    Row {
        number,
        text: text.into_boxed_str(),
        ends: ends.into_boxed_slice(),
    }
}

/// What a reader hands on: the header row first, then each data row.
pub(crate) enum Piece {
    Header(Vec<String>),
    Row(Row),
}

pub(crate) fn too_big(file: &str, bytes: &[u8], limits: &Limits) -> Option<ImportIssue> {
    (bytes.len() > limits.max_file_bytes).then(|| {
        issue(
            file,
            1,
            "-",
            msg::FILE_TOO_BIG.with(&[
                ("size", &megabytes(bytes.len())),
                ("max", &megabytes(limits.max_file_bytes)),
            ]),
        )
    })
}

/// A size in MB with one decimal, in integers ("12.5").
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u128 * 10 + 524_288) / 1_048_576;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Runs the right reader over the file (after the size check), feeding `sink`.
pub(crate) fn read_into(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn FnMut(Piece) -> bool,
) -> Result<(), Vec<ImportIssue>> {
    if let Some(i) = too_big(file, bytes, limits) {
        return Err(vec![i]);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        xlsx::read_xlsx(file, bytes, limits, sink)
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        Err(vec![issue(file, 1, "-", msg::FILE_OLD_XLS)])
    } else if file.to_lowercase().ends_with(".xlsx") {
        Err(vec![issue(file, 1, "-", msg::FILE_XLSX_NOT_ZIP)])
    } else {
        text::read_csv(file, bytes, limits, sink)
    }
}

pub(crate) fn no_header(file: &str) -> Vec<ImportIssue> {
    vec![issue(file, 1, "-", msg::FILE_NO_HEADER)]
}

/// Reads a whole CSV or XLSX file with the default [`Limits`]. Empty rows are skipped.
pub fn read_table(file: &str, bytes: &[u8]) -> Result<Table, Vec<ImportIssue>> {
    read_table_with(file, bytes, &Limits::default())
}

/// Reads a CSV or XLSX file, refusing (before parsing) what exceeds `limits`.
pub fn read_table_with(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Table, Vec<ImportIssue>> {
    let mut table = Table {
        file: file.to_string(),
        headers: Vec::new(),
        rows: Vec::new(),
    };
    // A reader library that panics on a hostile file (calamine on a mutated sheet dimension)
    // is a refusal naming the file here too, as on the streaming path.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_into(file, bytes, limits, &mut |p| {
            match p {
                Piece::Header(h) => table.headers = h,
                Piece::Row(r) if !r.is_blank() => table.rows.push(r),
                Piece::Row(_) => {}
            }
            true
        })
    }))
    .unwrap_or_else(|_| Err(vec![stream::reader_failed(file)]))?;
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(no_header(file));
    }
    Ok(table)
}

pub(crate) fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(char::from(b'A' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

fn normalize(h: &str) -> String {
    h.trim()
        .trim_end_matches(['*', '＊'])
        .trim()
        .to_lowercase()
        .replace([' ', '\u{3000}'], "")
}

/// A table whose headers were matched to the expected columns.
#[derive(Debug)]
pub struct Mapped<'t> {
    pub table: &'t Table,
    spec: Vec<Column>,
    index: Vec<Option<usize>>,
}

impl<'t> Mapped<'t> {
    /// The cell of `field` in `row`, trimmed, an export's formula guard removed ("" when the
    /// column is absent or the row short).
    pub fn get<'r>(&self, row: &'r Row, field: &str) -> &'r str {
        self.position(field).map(|i| cell_at(row, i)).unwrap_or("")
    }

    /// Which cell of a row holds `field` (for readers that look it up once per file).
    pub fn position(&self, field: &str) -> Option<usize> {
        self.spec
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| self.index[i])
    }

    pub fn has(&self, field: &str) -> bool {
        self.spec
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| self.index[i])
            .is_some()
    }

    /// The header as written in the file, for error locations.
    pub fn header(&self, field: &str) -> String {
        self.spec
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| self.index[i])
            .and_then(|i| self.table.headers.get(i).cloned())
            .unwrap_or_else(|| field.to_string())
    }

    pub fn issue(
        &self,
        row: &Row,
        field: &str,
        message: impl Into<domain::message::Text>,
    ) -> ImportIssue {
        self.issue_at(row.number, field, message)
    }

    /// An issue on the row numbered `number` (for checks made after the rows are gone).
    pub fn issue_at(
        &self,
        number: usize,
        field: &str,
        message: impl Into<domain::message::Text>,
    ) -> ImportIssue {
        issue(&self.table.file, number, &self.header(field), message)
    }
}

/// The `i`th cell of `row` as [`Mapped::get`] reads it: trimmed, an export's formula guard
/// (a `'` before a would-be formula, see `domain::cell`) removed; "" beyond the row's end.
pub fn cell_at(row: &Row, i: usize) -> &str {
    row.cell(i)
        .map(|s| domain::cell::restore(s.trim()).trim())
        .unwrap_or("")
}

/// Matches headers (English field names or Chinese aliases, a trailing `*` ignored) to the
/// expected columns. Missing required columns and columns given twice are errors; columns
/// nobody expects are ignored (spreadsheets often carry a 序号 column).
pub fn map_columns<'t>(table: &'t Table, spec: &[Column]) -> Result<Mapped<'t>, Vec<ImportIssue>> {
    let mut index = vec![None; spec.len()];
    let mut errors = Vec::new();
    for (i, h) in table.headers.iter().enumerate() {
        let n = normalize(h);
        if n.is_empty() {
            continue;
        }
        let found = spec
            .iter()
            .position(|c| normalize(c.field) == n || c.aliases.iter().any(|a| normalize(a) == n));
        if let Some(s) = found {
            if index[s].is_some() {
                errors.push(issue(
                    &table.file,
                    1,
                    h,
                    msg::COLUMN_TWICE.with(&[("column", &spec[s].field)]),
                ));
            } else {
                index[s] = Some(i);
            }
        }
    }
    for (s, c) in spec.iter().enumerate() {
        if c.required && index[s].is_none() {
            let names: Vec<&str> = std::iter::once(c.field)
                .chain(c.aliases.iter().copied())
                .collect();
            errors.push(issue(
                &table.file,
                1,
                c.field,
                msg::COLUMN_MISSING.with(&[("names", &names.join(" / "))]),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Mapped {
            table,
            spec: spec.to_vec(),
            index,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[Column] = &[
        col("household_no", &["户号"], true),
        col("head_name", &["户主姓名"], true),
        col("phone", &["电话"], false),
    ];

    #[test]
    fn reads_utf8_and_gb18030_csv_with_chinese_headers() {
        let text = "序号,户号*,户主姓名,电话\n1,001,张三,13812345678\n,,,\n2,002,李四,\n";
        for bytes in [
            text.as_bytes().to_vec(),
            encoding_rs::GB18030.encode(text).0.into_owned(),
        ] {
            let Ok(t) = read_table("h.csv", &bytes) else {
                panic!("readable")
            };
            let Ok(m) = map_columns(&t, SPEC) else {
                panic!("mapped")
            };
            assert_eq!(t.rows.len(), 2);
            assert_eq!(m.get(&t.rows[0], "head_name"), "张三");
            assert_eq!(
                t.rows[1].number, 4,
                "row numbers count the skipped empty row"
            );
            assert_eq!(m.header("household_no"), "户号*");
        }
    }

    #[test]
    fn reports_missing_and_duplicate_columns() {
        let Ok(t) = read_table("h.csv", "户号,household_no\n1,1\n".as_bytes()) else {
            panic!()
        };
        let errs = map_columns(&t, SPEC).err().unwrap_or_default();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 2, "{text:?}");
        assert!(text[0].starts_with("h.csv:1:household_no: column household_no appears twice"));
        assert!(text[1].contains("head_name"));
    }

    #[test]
    fn reads_xlsx_with_dates_and_refuses_rounded_numbers() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 1).ok();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let ok = ws.write(0, 0, "户号").is_ok()
            && ws.write(0, 1, "户主姓名").is_ok()
            && ws.write(1, 0, 12.0).is_ok()
            && ws.write(1, 1, "张三").is_ok()
            && date
                .map(|d| ws.write_datetime_with_format(1, 2, &d, &fmt).is_ok())
                .unwrap_or(false)
            && ws.write(2, 0, 140581199001011234.0).is_ok();
        assert!(ok);
        let Ok(bytes) = wb.save_to_buffer() else {
            panic!("saves")
        };
        let errs = read_table("h.xlsx", &bytes).err().unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].row, errs[0].column.as_str()), (3, "A"));
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let ok = ws.write(0, 0, "户号").is_ok()
            && ws.write(1, 0, 12.0).is_ok()
            && ws.write(1, 1, 0.5).is_ok();
        assert!(ok);
        let Ok(bytes) = wb.save_to_buffer() else {
            panic!("saves")
        };
        let Ok(t) = read_table("h.xlsx", &bytes) else {
            panic!("reads")
        };
        assert_eq!(t.rows[0].cells().collect::<Vec<_>>(), vec!["12", "0.5"]);
        assert_eq!(column_letter(27), "AB");
    }
}
