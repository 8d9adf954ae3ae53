//! Hostile import files (issue 7, finding 3b): each is refused by name before it can allocate
//! what it claims, and no file of bytes makes a reader panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::tabular::{read_table, read_table_with, Limits};
use app::ImportIssue;
use proptest::prelude::*;
use std::io::{Cursor, Read, Write};

fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, c, v) in cells {
        ws.write_string(*r, *c, *v).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn small_workbook() -> Vec<u8> {
    workbook(&[
        (0, 0, "户号"),
        (0, 1, "户主姓名"),
        (1, 0, "001"),
        (1, 1, "张三"),
        (2, 0, "002"),
        (2, 1, "李四"),
    ])
}

/// The same zip with entries rewritten by `edit(name, bytes)`.
fn rezip(xlsx: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.start_file(name.as_str(), opts).unwrap();
        out.write_all(&edit(&name, data)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn refusal(res: Result<app::tabular::Table, Vec<ImportIssue>>) -> String {
    match res {
        Ok(t) => panic!("refused expected, read {} rows", t.rows.len()),
        Err(issues) => issues
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn a_cell_at_xfd1048576_is_refused_without_allocating_the_range() {
    let bytes = workbook(&[(0, 0, "户号"), (1_048_575, 16_383, "x")]);
    assert!(bytes.len() < 10_000);
    let text = refusal(read_table("big.xlsx", &bytes));
    assert_eq!(
        text,
        "big.xlsx:1048576:-: more than 300000 data rows; split the file / 数据超过 300000 行，请拆分文件"
    );
    // A far column alone is refused by the column limit.
    let bytes = workbook(&[(0, 0, "户号"), (0, 16_383, "x")]);
    let text = refusal(read_table("cols.xlsx", &bytes));
    assert!(
        text.starts_with("cols.xlsx:1:XFD: a cell beyond column CV"),
        "{text}"
    );
}

#[test]
fn a_shared_string_table_claiming_too_much_is_refused_before_parsing() {
    for claim in [
        "18446744073709551615",
        "1000000000000",
        "99999999999999999999999999999999999999999",
    ] {
        let bytes = rezip(&small_workbook(), |name, data| {
            if name.ends_with("sharedStrings.xml") {
                let s = String::from_utf8(data).unwrap();
                let at = s.find("<sst").unwrap();
                let end = at + s[at..].find('>').unwrap();
                format!(
                    "{}<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{claim}\" uniqueCount=\"{claim}\"{}",
                    &s[..at],
                    &s[end..]
                )
                .into_bytes()
            } else {
                data
            }
        });
        let text = refusal(read_table("sst.xlsx", &bytes));
        assert!(text.contains("the shared-string table claims"), "{text}");
    }
}

#[test]
fn a_zip_bomb_is_refused_from_the_central_directory() {
    // 8 MB of one byte packs to a few KB: a ratio no spreadsheet has.
    let bytes = rezip(&small_workbook(), |name, data| {
        if name.ends_with("sheet1.xml") {
            let mut d = data;
            let at = d.len() - "</worksheet>".len();
            d.splice(at..at, std::iter::repeat_n(b' ', 8 << 20));
            d
        } else {
            data
        }
    });
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    let text = refusal(read_table("bomb.xlsx", &bytes));
    assert!(
        text.contains("is compressed") && text.contains(":1"),
        "{text}"
    );
    // And the total: a smaller allowance refuses an ordinary workbook by its unpacked size.
    let tight = Limits {
        max_unpacked_bytes: 1_000,
        ..Limits::default()
    };
    let text = refusal(read_table_with("h.xlsx", &small_workbook(), &tight));
    assert!(text.contains("unpacks to more than"), "{text}");
}

#[test]
fn size_rows_columns_and_cell_length_are_bounded() {
    let limits = Limits {
        max_file_bytes: 1_000,
        ..Limits::default()
    };
    let big = vec![b'a'; 1_001];
    assert!(
        refusal(read_table_with("f.csv", &big, &limits)).contains("more than the 0.0 MB allowed")
    );
    let limits = Limits {
        max_rows: 2,
        max_columns: 3,
        ..Limits::default()
    };
    let text = refusal(read_table_with("r.csv", b"a,b\n1,2\n3,4\n5,6\n", &limits));
    assert_eq!(
        text,
        "r.csv:4:-: more than 2 data rows; split the file / 数据超过 2 行，请拆分文件"
    );
    let text = refusal(read_table_with("c.csv", b"a,b\n1,2,3,4\n", &limits));
    assert_eq!(text, "c.csv:2:D: more than 3 columns / 超过 3 列");
    let long = format!("户号,地址\n1,{}\n", "村".repeat(2_001));
    let text = refusal(read_table("l.csv", long.as_bytes()));
    assert_eq!(
        text,
        "l.csv:2:B: longer than 2000 characters / 内容过长：超过 2000 个字"
    );
    let ok = format!("户号,地址\n1,{}\n", "村".repeat(2_000));
    assert!(read_table("ok.csv", ok.as_bytes()).is_ok());
}

#[test]
fn utf16_with_and_without_bom_is_read_and_bad_encodings_are_named() {
    let text = "户号,户主姓名\n001,张三\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [
        le.clone(),
        be.clone(),
        [&[0xFF, 0xFE][..], &le].concat(),
        [&[0xFE, 0xFF][..], &be].concat(),
        [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
    ] {
        let t = read_table("u.csv", &bytes).unwrap();
        assert_eq!(t.headers, vec!["户号", "户主姓名"]);
        assert_eq!(t.rows[0].cells().collect::<Vec<_>>(), vec!["001", "张三"]);
    }
    // A UTF-8 BOM before bytes that are not UTF-8 is named, not guessed.
    let text = refusal(read_table("b.csv", b"\xEF\xBB\xBFa,b\n\xFF\xFF,1\n"));
    assert!(
        text.starts_with("b.csv:1:-: the file starts as UTF-8"),
        "{text}"
    );
    // Binary that is no text at all.
    let text = refusal(read_table("x.csv", b"a,b\n\x80\x80\xFF\xFE\x81,1\n"));
    assert!(text.contains("neither UTF-8, UTF-16 nor GB18030"), "{text}");
}

#[test]
fn refusals_list_a_hundred_problems_and_count_the_rest() {
    let issues: Vec<ImportIssue> = (0..146_067)
        .map(|i| ImportIssue {
            file: "h.csv".into(),
            row: i + 2,
            column: "phone".into(),
            message: "bad".into(),
            ..Default::default()
        })
        .collect();
    let app::AppError::Import(listed) = app::AppError::import(issues) else {
        panic!()
    };
    assert_eq!(listed.len(), 101);
    assert_eq!(listed[100].more, 145_967);
    assert!(listed[100]
        .message
        .en
        .starts_with("and 145967 more problem(s)"));
    assert!(listed[100]
        .message
        .zh
        .starts_with("另有 145967 个问题未列出"));
    assert!(listed[100]
        .to_string()
        .starts_with("h.csv: and 145967 more problem(s) not listed"));
    assert_eq!(ImportIssue::total(&listed), 146_067);
    assert_eq!(
        app::AppError::Import(listed).to_string(),
        "the import was refused: 146067 problem(s), nothing was written"
    );
}

/// Ok, or an error located in the file: never a panic.
fn holds(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Err(issues) = read_table(name, bytes) {
        prop_assert!(!issues.is_empty());
        prop_assert!(issues.iter().all(|i| i.file == name));
    }
    Ok(())
}

/// Found by `mutated_sheet_xml_never_panics` on a clean clone: a sheet dimension whose end
/// comes before its start makes the XLSX reader library subtract below zero and panic. The
/// file is refused, naming it, and nothing panics out of the reader.
#[test]
fn a_backwards_sheet_dimension_is_refused_not_a_panic() {
    let bytes = rezip(&small_workbook(), |name, data| {
        if !name.ends_with("sheet1.xml") {
            return data;
        }
        let text = String::from_utf8_lossy(&data).into_owned();
        let Some(at) = text.find("<dimension ref=\"") else {
            // No dimension element: put a backwards one first in the sheet data.
            return text
                .replacen("<sheetData", "<dimension ref=\"Z9:A1\"/><sheetData", 1)
                .into_bytes();
        };
        let start = at + "<dimension ref=\"".len();
        let end = start + text[start..].find('"').unwrap_or(0);
        format!("{}Z9:A1{}", &text[..start], &text[end..]).into_bytes()
    });
    let read = std::panic::catch_unwind(|| read_table("back.xlsx", &bytes));
    let Ok(result) = read else {
        panic!("the reader's panic escaped")
    };
    if let Err(issues) = result {
        assert!(issues.iter().all(|i| i.file == "back.xlsx"), "{issues:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        holds("r.csv", &bytes)?;
        holds("r.xlsx", &bytes)?;
        let zipped = [&b"PK\x03\x04"[..], &bytes].concat();
        holds("z.xlsx", &zipped)?;
    }

    #[test]
    fn mutated_csv_never_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16)
    ) {
        let mut bytes = "户号,户主姓名,地址\n001,张三,\"一组,1号\"\n002,李四,二组\n".as_bytes().to_vec();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        holds("m.csv", &bytes)?;
    }

    #[test]
    fn mutated_xlsx_never_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = small_workbook();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        holds("m.xlsx", &bytes)?;
    }

    #[test]
    fn mutated_sheet_xml_never_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        // Mutations inside the XML (the zip stays valid) reach the cell reader itself.
        let bytes = rezip(&small_workbook(), |name, mut data| {
            if name.ends_with("sheet1.xml") || name.ends_with("sharedStrings.xml") {
                for (at, b) in &edits {
                    let i = at.index(data.len());
                    data[i] = *b;
                }
            }
            data
        });
        holds("x.xlsx", &bytes)?;
    }
}
