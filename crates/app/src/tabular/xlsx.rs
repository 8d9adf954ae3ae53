//! XLSX, read defensively: the zip's central directory and the shared-string table's claims are
//! checked before calamine sees the file, and the first sheet is read cell by cell (calamine's
//! `worksheet_range` allocates rows × columns of the *declared* extent: a cell at XFD1048576
//! means 549 GB). Every cell position is checked against the row and column limits.

use super::limits::{Limits, RATIO_FLOOR_BYTES};
use super::{column_letter, issue, Piece, Row};
use crate::ImportIssue;
use calamine::{Data, Reader, Xlsx};
use domain::message::{catalogue as msg, Text};
use std::io::{Cursor, Read};

type Issues = Vec<ImportIssue>;

fn refuse(file: &str, message: Text) -> Issues {
    vec![issue(file, 1, "-", message)]
}

/// Entry count, declared sizes and compression ratios, from the central directory only; then the
/// `count`/`uniqueCount` claims of the shared-string table.
fn check_zip(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), Issues> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refuse(file, msg::XLSX_UNREADABLE.with(&[("detail", &e)])))?;
    if zip.len() > limits.max_entries {
        return Err(refuse(
            file,
            msg::XLSX_TOO_MANY_PARTS.with(&[("parts", &zip.len()), ("max", &limits.max_entries)]),
        ));
    }
    let mut total: u64 = 0;
    let mut shared = Vec::new();
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| refuse(file, msg::XLSX_UNREADABLE.with(&[("detail", &e)])))?;
        let (size, packed) = (entry.size(), entry.compressed_size());
        let name = entry.name().map(|n| n.to_lowercase()).unwrap_or_default();
        total = total.saturating_add(size);
        if total > limits.max_unpacked_bytes {
            return Err(refuse(
                file,
                msg::XLSX_UNPACKS_TOO_BIG
                    .with(&[("max", &(limits.max_unpacked_bytes / (1024 * 1024)))]),
            ));
        }
        if size > RATIO_FLOOR_BYTES && size / packed.max(1) > limits.max_ratio {
            return Err(refuse(
                file,
                msg::XLSX_RATIO.with(&[
                    ("part", &name),
                    ("ratio", &(size / packed.max(1))),
                    ("max", &limits.max_ratio),
                ]),
            ));
        }
        if name.ends_with("sharedstrings.xml") {
            shared.push((i, size));
        }
    }
    for (i, size) in shared {
        let claimed = shared_string_claim(&mut zip, i).map_err(|e| {
            refuse(
                file,
                msg::XLSX_SHARED_STRINGS_UNREADABLE.with(&[("detail", &e)]),
            )
        })?;
        // Every entry takes at least `<si/>` (5 bytes): a larger claim is a lie.
        if claimed > limits.max_shared_strings as u128 || claimed > u128::from(size / 5) {
            return Err(refuse(
                file,
                msg::XLSX_SHARED_STRINGS_CLAIM
                    .with(&[("claimed", &claimed), ("max", &limits.max_shared_strings)]),
            ));
        }
    }
    Ok(())
}

/// The largest number in the `count`/`uniqueCount` attributes of the first `<sst>` tag (within
/// the entry's first 64 KB); 0 when absent.
fn shared_string_claim(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
) -> Result<u128, String> {
    let entry = zip.by_index(index).map_err(|e| e.to_string())?;
    let mut head = Vec::with_capacity(4096);
    entry
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&head);
    let Some(tag) = text
        .match_indices('<')
        .map(|(at, _)| &text[at + 1..])
        .find(|t| {
            let name = t
                .split([' ', '>', '/', '\t', '\r', '\n'])
                .next()
                .unwrap_or("");
            name == "sst" || name.ends_with(":sst")
        })
    else {
        return Ok(0);
    };
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let mut claim = 0u128;
    for attr in ["count", "uniqueCount"] {
        for (at, _) in tag.match_indices(attr) {
            let before = tag[..at].chars().last();
            if !matches!(before, Some(' ' | '\t' | '\r' | '\n')) {
                continue;
            }
            let rest = tag[at + attr.len()..].trim_start();
            let Some(rest) = rest.strip_prefix('=') else {
                continue;
            };
            let digits: String = rest
                .trim_start()
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            // A number too long for u128 is certainly too large.
            let n = digits
                .parse::<u128>()
                .unwrap_or(if digits.is_empty() { 0 } else { u128::MAX });
            claim = claim.max(n);
        }
    }
    Ok(claim)
}

fn cell_text(d: &Data) -> Result<String, Text> {
    Ok(match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.abs() >= 1e15 || !f.is_finite() {
                return Err(msg::CELL_NUMBER_ROUNDED.text());
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
            None => return Err(msg::CELL_DATE_UNREADABLE.text()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(msg::CELL_SPREADSHEET_ERROR.with(&[("error", e)])),
    })
}

/// The row being assembled from the cell stream; complete rows go to the sink (the first
/// non-empty one as the header).
struct Assembly<'s> {
    sink: &'s mut dyn FnMut(Piece) -> bool,
    header_sent: bool,
    current: Option<(usize, Vec<String>)>,
    stopped: bool,
}

impl Assembly<'_> {
    fn finish_row(&mut self) {
        if let Some((number, cells)) = self.current.take() {
            let piece = if self.header_sent {
                Piece::Row(Row::new(number, cells))
            } else {
                self.header_sent = true;
                Piece::Header(cells.into_iter().map(|c| c.trim().to_string()).collect())
            };
            self.stopped |= !(self.sink)(piece);
        }
    }
    /// False when the cell belongs to a row already passed (Excel never writes that).
    fn place(&mut self, number: usize, col: usize, text: String) -> bool {
        match &self.current {
            Some((n, _)) if *n == number => {}
            Some((n, _)) if *n > number => return false,
            _ => {
                self.finish_row();
                self.current = Some((number, Vec::new()));
            }
        }
        if let Some((_, cells)) = &mut self.current {
            if cells.len() <= col {
                cells.resize(col + 1, String::new());
            }
            cells[col] = text;
        }
        true
    }
}

pub(crate) fn read_xlsx(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn FnMut(Piece) -> bool,
) -> Result<(), Issues> {
    check_zip(file, bytes, limits)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| refuse(file, msg::SPREADSHEET_UNREADABLE.with(&[("detail", &e)])))?;
    let Some(sheet) = wb.sheet_names().first().cloned() else {
        return Err(refuse(file, msg::XLSX_NO_SHEET.text()));
    };
    let unreadable =
        |e: calamine::XlsxError| refuse(file, msg::SHEET_UNREADABLE.with(&[("detail", &e)]));
    let mut cells = wb.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let mut rows = Assembly {
        sink,
        header_sent: false,
        current: None,
        stopped: false,
    };
    let mut errors = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let (number, col) = (r as usize + 1, c as usize);
        if number > limits.max_rows + 1 {
            errors.push(super::text::too_many_rows(file, number, limits));
            break;
        }
        if col >= limits.max_columns {
            errors.push(issue(
                file,
                number,
                &column_letter(col),
                msg::CELL_BEYOND_COLUMNS.with(&[
                    ("last", &column_letter(limits.max_columns - 1)),
                    ("max", &limits.max_columns),
                ]),
            ));
            break;
        }
        let data: Data = cell.get_value().clone().into();
        match cell_text(&data) {
            Ok(t) if t.chars().count() > limits.max_cell_chars => errors.push(issue(
                file,
                number,
                &column_letter(col),
                super::too_long(limits),
            )),
            Ok(t) if t.is_empty() => {}
            Ok(t) => {
                if !rows.place(number, col, t) {
                    errors.push(issue(
                        file,
                        number,
                        &column_letter(col),
                        msg::ROWS_OUT_OF_ORDER,
                    ));
                    break;
                }
            }
            Err(m) => errors.push(issue(file, number, &column_letter(col), m)),
        }
        if errors.len() > 10 * crate::error::MAX_LISTED_ISSUES || rows.stopped {
            break;
        }
    }
    drop(cells);
    if !errors.is_empty() {
        return Err(errors);
    }
    rows.finish_row();
    Ok(())
}
