//! A draft's second life before approval: generated from the ledgers, then edited.

use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::layout::{csrf, field, page};
use crate::pages::forms::{check_csrf, redirect, Flash, PagePath, PageQuery, RawForm};
use crate::AppState;
use app::disclosure::{drafts, DraftInput};
use app::AppError;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::message::FieldError;
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct VillageQuery {
    #[serde(default)]
    village: String,
}

/// The form that asks for a month and makes its statement from the ledgers.
pub fn generate_form(ctx: &Ctx, village: &str, period: &str, errors: &[FieldError]) -> Markup {
    let l = ctx.lang;
    html! {
        form method="post" action={ "/disclosures/generate?village=" (village) } {
            (csrf(ctx))
            (field(l.t("月份（如 2026-11）", "Month (e.g. 2026-11)"), "period", period, errors, true))
            button type="submit" { (l.t("从“三资”台账生成月度财务收支", "Make the month's statement from the ledgers")) }
        }
    }
}

pub async fn generate(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<VillageQuery>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let l = ctx.lang;
    let period = f.get("period");
    match drafts::prepare_statement(&st.app, &ctx.actor, &q.village, &period).await {
        Ok(id) => Ok(redirect(
            &format!("/disclosures/drafts/{id}"),
            Flash::Created,
        )),
        Err(AppError::Invalid(errors)) => {
            let errors: Vec<FieldError> = errors.iter().map(|e| e.only(l.is_zh())).collect();
            let body = generate_form(&ctx, &q.village, &period, &errors);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    &ctx,
                    l.t("生成财务收支", "Statement from the ledgers"),
                    None,
                    body,
                ),
            )
                .into_response())
        }
        Err(e) => Err(PageError::new(e, l)),
    }
}

fn edit_form(
    ctx: &Ctx,
    id: i64,
    period: &str,
    title: &str,
    body: &str,
    errors: &[FieldError],
) -> Markup {
    let l = ctx.lang;
    html! {
        form method="post" action={ "/disclosures/drafts/" (id) "/edit" } enctype="multipart/form-data" {
            (csrf(ctx))
            (field(l.t("期间", "Period"), "period", period, errors, true))
            (field(l.t("标题", "Title"), "title", title, errors, true))
            div {
                label for="body" { (l.t("正文", "Body")) }
                textarea id="body" name="body" rows="10" { (body) }
                @for e in errors.iter().filter(|e| e.field == "body") { div class="field-error" { (e.message) } }
            }
            div {
                label for="table" { (l.t("替换表格（可选）", "Replace the table (optional)")) }
                input id="table" name="file" type="file" accept=".csv,.xlsx";
                @for e in errors.iter().filter(|e| e.field == "table") { div class="field-error" { (e.message) } }
            }
            div {
                label for="attachment" { (l.t("替换附件（可选；PDF、JPEG 或 PNG）", "Replace the attachments (optional; PDF, JPEG or PNG)")) }
                input id="attachment" name="attachment" type="file" multiple accept=".pdf,.jpg,.jpeg,.png";
                @for e in errors.iter().filter(|e| e.field == "attachments") { div class="field-error" { (e.message) } }
            }
            p class="muted" { (l.t("修改后须重新审核。", "An edit withdraws the approval.")) }
            button type="submit" { (l.t("保存", "Save")) }
        }
    }
}

pub async fn edit_page(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let l = ctx.lang;
    let d = drafts::draft(&st.app, &ctx.actor, id).await.lang(l)?;
    let c = &d.content;
    let body = edit_form(&ctx, id, &c.period, &c.title, &c.body, &[]);
    Ok(page(&ctx, l.t("编辑公开草稿", "Edit the draft"), None, body).into_response())
}

pub async fn save(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    mp: Multipart,
) -> PageResult {
    let l = ctx.lang;
    let mut up = DraftUpload::read(&ctx, mp).await?;
    let (period, title, body) = (up.get("period"), up.get("title"), up.get("body"));
    let (file, bytes, attachments) = (
        up.table_file.clone(),
        std::mem::take(&mut up.table_bytes),
        up.attachments(),
    );
    let refused = |errors: Vec<FieldError>| -> PageResult {
        let errors: Vec<FieldError> = errors.iter().map(|e| e.only(l.is_zh())).collect();
        let form = edit_form(&ctx, id, &period, &title, &body, &errors);
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&ctx, l.t("编辑公开草稿", "Edit the draft"), None, form),
        )
            .into_response())
    };
    let table = if bytes.is_empty() {
        None
    } else {
        match app::disclosure::read_table(&file, &bytes, &st.app.config.import) {
            Ok(rows) => Some(rows),
            Err(AppError::Import(issues)) => {
                return refused(
                    issues
                        .iter()
                        .map(|i| FieldError::new("table", i.line(l.is_zh())))
                        .collect(),
                )
            }
            Err(e) => return Err(PageError::new(e, l)),
        }
    };
    let input = DraftInput {
        period: period.clone(),
        title: title.clone(),
        body: body.clone(),
        table,
        attachments,
        ..DraftInput::default()
    };
    match drafts::edit(&st.app, &ctx.actor, id, input).await {
        Ok(()) => Ok(redirect(&format!("/disclosures/drafts/{id}"), Flash::Saved)),
        Err(AppError::Invalid(errors)) => refused(errors),
        Err(e) => Err(PageError::new(e, l)),
    }
}

/// A draft form as posted (multipart): its text fields, the table file and the attachments,
/// with the CSRF token checked.
pub(super) struct DraftUpload {
    fields: std::collections::HashMap<String, String>,
    pub table_file: String,
    pub table_bytes: Vec<u8>,
    pub attachments: Vec<(String, Vec<u8>)>,
}

impl DraftUpload {
    pub async fn read(ctx: &Ctx, mut mp: Multipart) -> Result<DraftUpload, PageError> {
        let l = ctx.lang;
        let bad = |m: String| PageError::new(AppError::BadRequest(m.into()), l);
        let mut u = DraftUpload {
            fields: Default::default(),
            table_file: String::new(),
            table_bytes: Vec::new(),
            attachments: Vec::new(),
        };
        while let Some(f) = mp.next_field().await.map_err(|e| bad(e.body_text()))? {
            let name = f.name().unwrap_or("").to_string();
            match name.as_str() {
                "attachment" => {
                    let fname = f.file_name().unwrap_or("attachment").to_string();
                    let b = f.bytes().await.map_err(|e| bad(e.body_text()))?;
                    if !b.is_empty() {
                        u.attachments.push((fname, b.to_vec()));
                    }
                }
                "file" => {
                    u.table_file = f.file_name().unwrap_or("table.csv").to_string();
                    u.table_bytes = f.bytes().await.map_err(|e| bad(e.body_text()))?.to_vec();
                }
                _ => {
                    let v = f.text().await.map_err(|e| bad(e.body_text()))?;
                    u.fields.insert(name, v);
                }
            }
        }
        check_csrf(ctx, &u.get("_csrf"))?;
        Ok(u)
    }

    pub fn get(&self, k: &str) -> String {
        self.fields.get(k).cloned().unwrap_or_default()
    }

    /// The uploaded attachments, `None` when none was sent.
    pub fn attachments(&mut self) -> Option<Vec<(String, Vec<u8>)>> {
        let a = std::mem::take(&mut self.attachments);
        (!a.is_empty()).then_some(a)
    }
}
