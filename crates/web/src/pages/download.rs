//! Tables of a page handed over as an Excel file (what cadres and officers work in).

use crate::error::{PageResult, WithLang};
use crate::i18n::Lang;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `rows` under `header` as an XLSX attachment named `name` (ASCII).
pub fn xlsx(
    l: Lang,
    name: &str,
    sheet: &str,
    header: &[String],
    rows: &[Vec<String>],
) -> PageResult {
    let bytes = app::sheets::xlsx_bytes(header, rows, sheet).lang(l)?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name,
        bytes,
    ))
}

/// `bytes` of type `content_type` as an attachment named `name` (ASCII), for pages and the API.
pub(crate) fn attachment(content_type: &str, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Column titles in the reader's language.
pub fn titles(l: Lang, cols: &[(&'static str, &'static str)]) -> Vec<String> {
    cols.iter()
        .map(|(zh, en)| l.t(zh, en).to_string())
        .collect()
}
