//! Uploading a household file (CSV or XLSX), with a dry run that checks without writing.

use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{csrf, page};
use crate::pages::forms::PageQuery;
use crate::pages::upload;
use crate::AppState;
use app::registry::{household_import, units};
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ImportQuery {
    village: String,
}

fn form_html(ctx: &Ctx, village: &str) -> Markup {
    let l = ctx.lang;
    let cols: Vec<String> = household_import::COLUMNS
        .iter()
        .map(|c| {
            format!(
                "{}{} ({})",
                c.field,
                if c.required { "*" } else { "" },
                c.aliases.first().copied().unwrap_or("")
            )
        })
        .collect();
    html! {
        div class="card" {
            p { (l.t("每行一名成员；同一户号的多行属于同一户。必填列带 *。中文或英文表头均可。", "One row per member; rows with the same household number form one household. Required columns are marked *. Chinese or English headers.")) }
            p class="muted" { code { (cols.join(", ")) } }
            form method="post" action={ "/households/import?village=" (village) } enctype="multipart/form-data" {
                (csrf(ctx))
                label for="file" { (l.t("文件（CSV 或 XLSX）", "File (CSV or XLSX)")) }
                input id="file" type="file" name="file" accept=".csv,.xlsx" required;
                label { input type="checkbox" name="dry_run" value="1"; " " (l.t("仅检查，不写入", "Check only, write nothing")) }
                p { button type="submit" { (l.t("导入", "Import")) } }
            }
        }
    }
}

pub async fn form(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<ImportQuery>,
) -> PageResult {
    let l = ctx.lang;
    let v = units::get(&st.app, &ctx.actor, &q.village).await.lang(l)?;
    let title = format!("{} · {}", v.name, l.t("导入农户", "Import households"));
    Ok(page(&ctx, &title, None, form_html(&ctx, &q.village)).into_response())
}

pub async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<ImportQuery>,
    mp: Multipart,
) -> PageResult {
    let l = ctx.lang;
    let up = upload::read(&ctx, mp).await?;
    let v = units::get(&st.app, &ctx.actor, &q.village).await.lang(l)?;
    let title = format!("{} · {}", v.name, l.t("导入农户", "Import households"));
    let outcome = household_import::import_owned(
        &st.app,
        &ctx.actor,
        &q.village,
        &up.file_name,
        up.bytes,
        up.dry_run,
    )
    .await
    .map(|r| {
        html! {
            (upload::done(l, r.dry_run))
            div class="stats" {
                div class="stat" { span { (l.t("户数", "Households")) } b { (r.households) } }
                div class="stat" { span { (l.t("成员", "Members")) } b { (r.members) } }
                div class="stat" { span { (l.t("新增", "Created")) } b { (r.created) } }
                div class="stat" { span { (l.t("更新", "Updated")) } b { (r.updated) } }
            }
            p { a href={ "/households?unit=" (q.village) } { (l.t("查看户籍档案", "Household files")) } }
        }
    });
    let form = form_html(&ctx, &q.village);
    upload::answer(&ctx, &title, outcome, html! {}, form)
}
