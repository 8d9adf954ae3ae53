//! CSV: the encoding is recognised (UTF-8 with or without BOM, UTF-16 LE/BE with or without
//! BOM, GB18030/GBK) or the file is refused by name — never guessed into a "missing column".

use super::limits::Limits;
use super::{issue, Piece};
use crate::ImportIssue;
use domain::message::{catalogue as msg, Text};
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};
use std::borrow::Cow;

/// UTF-16 without BOM: ASCII-range text has a NUL in every other byte. Looks at the first 4 KB.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    // Chinese text has no NULs; headers, digits and separators do. A quarter is plenty.
    if odd * 4 >= pairs && even * 16 < pairs {
        Some(UTF_16LE)
    } else if even * 4 >= pairs && odd * 16 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn strict(enc: &'static Encoding, bytes: &[u8]) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}

/// The file's text, or an issue naming the encoding problem.
pub(crate) fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<Cow<'b, str>, ImportIssue> {
    let refuse = |what: Text| issue(file, 1, "-", what);
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|e| refuse(msg::FILE_UTF8_BROKEN.with(&[("byte", &(e.valid_up_to() + 3))])));
    }
    let utf16 = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Some((UTF_16LE, rest))
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Some((UTF_16BE, rest))
    } else {
        utf16_without_bom(bytes).map(|e| (e, bytes))
    };
    if let Some((enc, rest)) = utf16 {
        return strict(enc, rest)
            .map(Cow::Owned)
            .ok_or_else(|| refuse(msg::FILE_UTF16_BROKEN.with(&[("encoding", &enc.name())])));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(s));
    }
    strict(GB18030, bytes)
        .map(Cow::Owned)
        .ok_or_else(|| refuse(msg::FILE_UNKNOWN_ENCODING.text()))
}

/// Reads the CSV record by record, handing the header and then each non-empty row to `sink`
/// (which answers false to stop), checking the limits as it goes.
pub(crate) fn read_csv(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn FnMut(Piece) -> bool,
) -> Result<(), Vec<ImportIssue>> {
    let text = decode(file, bytes).map_err(|i| vec![i])?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut errors = Vec::new();
    let mut number = 0usize;
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                number += 1;
                if number > limits.max_rows + 1 {
                    errors.push(too_many_rows(file, number, limits));
                    break;
                }
                let row = super::checked_row(file, number, record.iter(), limits, &mut errors);
                let go_on = if number == 1 {
                    sink(Piece::Header(
                        row.cells().map(|c| c.trim().to_string()).collect(),
                    ))
                } else if !row.is_blank() {
                    sink(Piece::Row(row))
                } else {
                    true
                };
                if !go_on {
                    break;
                }
            }
            Err(e) => {
                number += 1;
                errors.push(issue(
                    file,
                    number,
                    "-",
                    msg::CSV_ROW_UNREADABLE.with(&[("detail", &e)]),
                ));
            }
        }
        if errors.len() > 10 * crate::error::MAX_LISTED_ISSUES {
            break;
        }
    }
    if number == 0 {
        return Err(vec![issue(file, 1, "-", msg::FILE_EMPTY)]);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

pub(crate) fn too_many_rows(file: &str, number: usize, limits: &Limits) -> ImportIssue {
    issue(
        file,
        number,
        "-",
        msg::FILE_TOO_MANY_ROWS.with(&[("max", &limits.max_rows)]),
    )
}
