//! Files posted from a page (the household and ledger imports): the multipart form read once,
//! its CSRF field checked, and what the page says about the result.

use crate::ctx::Ctx;
use crate::error::{PageError, PageResult};
use crate::i18n::Lang;
use crate::pages::forms::check_csrf;
use app::{AppError, ImportIssue};
use axum::extract::Multipart;
use maud::{html, Markup};
use std::collections::HashMap;

/// A posted file and the form's other fields.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// "Check only": the import reports and writes nothing.
    pub dry_run: bool,
    /// Text fields other than `_csrf`, `dry_run` and `file` (e.g. `kind`).
    pub fields: HashMap<String, String>,
}

impl Upload {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Reads the multipart form and checks its CSRF field; an unreadable form is a 400 page.
pub async fn read(ctx: &Ctx, mut mp: Multipart) -> Result<Upload, PageError> {
    let bad = |detail: String| {
        let why = domain::message::catalogue::UPLOAD_UNREADABLE.with(&[("detail", &detail)]);
        PageError::new(AppError::BadRequest(why), ctx.lang)
    };
    let (mut csrf_sent, mut up) = (
        String::new(),
        Upload {
            file_name: String::new(),
            bytes: Vec::new(),
            dry_run: false,
            fields: HashMap::new(),
        },
    );
    while let Some(field) = mp.next_field().await.map_err(|e| bad(e.body_text()))? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "dry_run" => up.dry_run = true,
            "file" => {
                up.file_name = field.file_name().unwrap_or("upload.csv").to_string();
                up.bytes = field
                    .bytes()
                    .await
                    .map_err(|e| bad(e.body_text()))?
                    .to_vec();
            }
            _ => {
                let text = field.text().await.map_err(|e| bad(e.body_text()))?;
                if name == "_csrf" {
                    csrf_sent = text;
                } else {
                    up.fields.insert(name, text);
                }
            }
        }
    }
    check_csrf(ctx, &csrf_sent)?;
    Ok(up)
}

/// The page after an import: above the form (for the next file), the import's counts or, when
/// it was refused, every problem (422). Other errors are error pages.
pub fn answer(
    ctx: &Ctx,
    title: &str,
    outcome: Result<Markup, AppError>,
    top: Markup,
    form: Markup,
) -> PageResult {
    use axum::response::IntoResponse;
    let l = ctx.lang;
    match outcome {
        Ok(counts) => Ok(
            crate::layout::page(ctx, title, None, html! { (top) (counts) (form) }).into_response(),
        ),
        Err(AppError::Import(issues)) => Ok(crate::layout::page_with(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ctx,
            title,
            html! { (top) (refused(l, &issues)) (form) },
        )),
        Err(e) => Err(PageError::new(e, l)),
    }
}

/// "Check passed" or "Import finished", above an import's counts.
pub fn done(l: Lang, dry_run: bool) -> Markup {
    html! {
        div class="flash" {
            @if dry_run { (l.t("检查通过，未写入任何数据。", "Check passed; nothing was written.")) }
            @else { (l.t("导入完成。", "Import finished.")) }
        }
    }
}

/// A refused import: nothing written, and every problem as file:row:column in the reader's
/// language.
pub fn refused(l: Lang, issues: &[ImportIssue]) -> Markup {
    html! {
        p class="error" { (l.t("导入被拒绝，未写入任何数据。请修正以下问题后重新导入：", "The import was refused and nothing was written. Fix these problems and import again:")) }
        ul class="issues" { @for i in issues { li { code { (i.line(l.is_zh())) } } } }
    }
}
