//! Importing a ledger file (upload, dry run, every problem listed) and export links.

use super::subnav;
use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{csrf, page};
use crate::pages::forms::{PagePath, PageQuery};
use crate::pages::upload;
use crate::AppState;
use app::ledger::export::{self, Format};
use app::ledger::import::{self, columns};
use app::ledger::{village_for_read, Kind};
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use domain::access::Permission;
use maud::{html, Markup};
use serde::Deserialize;

fn form_html(ctx: &Ctx, code: &str) -> Markup {
    let l = ctx.lang;
    let can_edit = ctx.actor.role.can(Permission::EditLedger);
    html! {
        @if can_edit {
            div class="card" {
                p { (l.t("全部成功才写入；有任何问题则不写入并列出“文件:行:列”。已有编号的记录会被更新。中文或英文表头均可，说明见 docs/ledger-import.md。", "All-or-nothing: any problem is listed as file:row:column and nothing is written. Existing numbers are updated. Chinese or English headers; see docs/ledger-import.md.")) }
                form method="post" action={ "/villages/" (code) "/ledger/import" } enctype="multipart/form-data" {
                    (csrf(ctx))
                    label for="kind" { (l.t("台账类型", "Ledger")) }
                    select id="kind" name="kind" { @for k in Kind::ALL { option value=(k.as_str()) { (if l.is_zh() { k.label_zh() } else { k.label_en() }) } } }
                    label for="file" { (l.t("文件（CSV 或 XLSX）", "File (CSV or XLSX)")) }
                    input id="file" type="file" name="file" accept=".csv,.xlsx" required;
                    label { input type="checkbox" name="dry_run" value="1"; " " (l.t("仅检查，不写入", "Check only, write nothing")) }
                    p { button type="submit" { (l.t("导入", "Import")) } }
                }
            }
        }
        h2 { (l.t("导出（与导入格式相同）", "Export (same layout as the import)")) }
        div class="scroll" { table { tbody { @for k in Kind::ALL { tr {
            td { (if l.is_zh() { k.label_zh() } else { k.label_en() }) }
            td { a href={ "/villages/" (code) "/ledger/export?kind=" (k.as_str()) "&format=xlsx" } { "XLSX" } }
            td { a href={ "/villages/" (code) "/ledger/export?kind=" (k.as_str()) "&format=csv" } { "CSV" } }
            td class="muted" { code { (columns(k).iter().map(|c| format!("{}{}", c.field, if c.required { "*" } else { "" })).collect::<Vec<_>>().join(",")) } }
        } } } } }
    }
}

pub async fn form(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> PageResult {
    let l = ctx.lang;
    let v = village_for_read(&st.app, &ctx.actor, &code).await.lang(l)?;
    let body = html! { (subnav(l, &code)) (form_html(&ctx, &code)) };
    Ok(page(
        &ctx,
        &format!(
            "{} · {}",
            v.name,
            l.t("导入/导出台账", "Import/export ledgers")
        ),
        None,
        body,
    )
    .into_response())
}

pub async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    mp: Multipart,
) -> PageResult {
    let l = ctx.lang;
    let up = upload::read(&ctx, mp).await?;
    let kind = app::ledger::parse_kind(up.get("kind")).lang(l)?;
    let v = village_for_read(&st.app, &ctx.actor, &code).await.lang(l)?;
    let title = format!("{} · {}", v.name, l.t("导入台账", "Import ledgers"));
    let (name, bytes) = (&up.file_name, &up.bytes);
    let outcome = import::import(&st.app, &ctx.actor, &code, kind, name, bytes, up.dry_run)
        .await
        .map(|r| {
            html! {
                (upload::done(l, r.dry_run))
                div class="stats" {
                    div class="stat" { span { (l.t("行数", "Rows")) } b { (r.rows) } }
                    div class="stat" { span { (l.t("新增", "Created")) } b { (r.created) } }
                    div class="stat" { span { (l.t("更新", "Updated")) } b { (r.updated) } }
                    div class="stat" { span { (l.t("已存在（跳过）", "Already recorded")) } b { (r.skipped) } }
                }
            }
        });
    upload::answer(
        &ctx,
        &title,
        outcome,
        subnav(l, &code),
        form_html(&ctx, &code),
    )
}

#[derive(Deserialize)]
pub struct ExportQuery {
    kind: String,
    format: Option<String>,
}

pub async fn download(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<ExportQuery>,
) -> PageResult {
    let l = ctx.lang;
    let kind = app::ledger::parse_kind(&q.kind).lang(l)?;
    let format = Format::parse(q.format.as_deref().unwrap_or("xlsx")).lang(l)?;
    // People get Chinese headers in a Chinese page (the import reads them back).
    let headers = if l.is_zh() {
        export::Headers::Chinese
    } else {
        export::Headers::Fields
    };
    let (name, bytes) = export::export(&st.app, &ctx.actor, &code, kind, format, headers)
        .await
        .lang(l)?;
    Ok(crate::pages::download::attachment(
        format.content_type(),
        &name,
        bytes,
    ))
}
