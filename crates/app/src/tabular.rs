//! Reading the tables people actually have: CSV (UTF-8 or the GB18030 that Excel writes on
//! Chinese Windows) and XLSX (first sheet), with Chinese or English headers. Every problem is
//! located as file:row:column.

use crate::ImportIssue;
use calamine::{open_workbook_auto_from_rs, Data, Reader};
use std::io::Cursor;

#[derive(Debug, Clone)]
pub struct Row {
    /// Spreadsheet row number (the header is row 1).
    pub number: usize,
    pub cells: Vec<String>,
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

fn issue(file: &str, row: usize, column: &str, message: impl Into<String>) -> ImportIssue {
    ImportIssue {
        file: file.to_string(),
        row,
        column: column.to_string(),
        message: message.into(),
    }
}

fn is_xlsx(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".xlsx")
        || lower.ends_with(".xls")
        || lower.ends_with(".ods")
        || bytes.starts_with(b"PK\x03\x04")
}

/// Reads a whole CSV or XLSX file into memory. Empty rows are skipped.
pub fn read_table(file: &str, bytes: &[u8]) -> Result<Table, Vec<ImportIssue>> {
    let mut table = if is_xlsx(file, bytes) {
        read_xlsx(file, bytes)?
    } else {
        read_csv(file, bytes)?
    };
    table
        .rows
        .retain(|r| r.cells.iter().any(|c| !c.trim().is_empty()));
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(vec![issue(file, 1, "-", "the file has no header row")]);
    }
    Ok(table)
}

fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn read_csv(file: &str, bytes: &[u8]) -> Result<Table, Vec<ImportIssue>> {
    let text = decode(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(|s| s.trim().to_string()).collect(),
        Some(Err(e)) => return Err(vec![issue(file, 1, "-", format!("unreadable CSV: {e}"))]),
        None => return Err(vec![issue(file, 1, "-", "the file is empty")]),
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in records.enumerate() {
        match rec {
            Ok(r) => rows.push(Row {
                number: i + 2,
                cells: r.iter().map(str::to_string).collect(),
            }),
            Err(e) => errors.push(issue(file, i + 2, "-", format!("unreadable CSV row: {e}"))),
        }
    }
    if errors.is_empty() {
        Ok(Table {
            file: file.to_string(),
            headers,
            rows,
        })
    } else {
        Err(errors)
    }
}

fn cell_text(d: &Data) -> Result<String, String> {
    Ok(match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.abs() >= 1e15 {
                return Err("this cell holds a long number that the spreadsheet has rounded; format the column as text and type it again".into());
            }
            if f.fract() == 0.0 {
                format!("{}", *f as i64)
            } else {
                // Shortest text that reads back as the same double, e.g. 1234.5.
                format!("{f}")
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => {
                t.date().format("%Y-%m-%d").to_string()
            }
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => return Err("unreadable date".into()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("the cell shows a spreadsheet error ({e})")),
    })
}

fn column_letter(mut i: usize) -> String {
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

fn read_xlsx(file: &str, bytes: &[u8]) -> Result<Table, Vec<ImportIssue>> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
        vec![issue(
            file,
            1,
            "-",
            format!("not a readable spreadsheet: {e}"),
        )]
    })?;
    let range = match wb.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            return Err(vec![issue(
                file,
                1,
                "-",
                format!("unreadable first sheet: {e}"),
            )])
        }
        None => return Err(vec![issue(file, 1, "-", "the workbook has no sheet")]),
    };
    // Rows are numbered as the spreadsheet shows them, even when the used range starts lower.
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut errors = Vec::new();
    let mut all = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let number = first_row + i + 1;
        let mut cells = Vec::with_capacity(r.len());
        for (c, d) in r.iter().enumerate() {
            match cell_text(d) {
                Ok(t) => cells.push(t),
                Err(m) => {
                    errors.push(issue(file, number, &column_letter(c), m));
                    cells.push(String::new());
                }
            }
        }
        all.push(Row { number, cells });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut it = all.into_iter();
    let headers = it
        .next()
        .map(|r| r.cells.into_iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    Ok(Table {
        file: file.to_string(),
        headers,
        rows: it.collect(),
    })
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
    /// The cell of `field` in `row`, trimmed ("" when the column is absent or the row short).
    pub fn get<'r>(&self, row: &'r Row, field: &str) -> &'r str {
        self.spec
            .iter()
            .position(|c| c.field == field)
            .and_then(|i| self.index[i])
            .and_then(|i| row.cells.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
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

    pub fn issue(&self, row: &Row, field: &str, message: impl Into<String>) -> ImportIssue {
        issue(&self.table.file, row.number, &self.header(field), message)
    }
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
                    format!("column {} appears twice", spec[s].field),
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
                format!("required column missing (header: {})", names.join(" / ")),
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
        assert_eq!(t.rows[0].cells, vec!["12".to_string(), "0.5".to_string()]);
        assert_eq!(column_letter(27), "AB");
    }
}
