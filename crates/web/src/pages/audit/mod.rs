//! The audit log, filtered, for county and township officers.

mod labels;

use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{page, pager};
use crate::pages::forms::PageQuery;
use crate::AppState;
use app::audit::AuditQuery;
use axum::extract::State;
use axum::response::IntoResponse;
use labels::{action_label, summary_lines, ACTIONS};
use maud::html;

fn enc(s: &Option<String>) -> String {
    url::form_urlencoded::byte_serialize(s.as_deref().unwrap_or("").as_bytes()).collect()
}

pub async fn audit_page(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<AuditQuery>,
) -> PageResult {
    let l = ctx.lang;
    let page_no = q.page();
    let filter = q.filter();
    let (rows, total) = app::audit::list(&st.app, &ctx.actor, filter)
        .await
        .lang(l)?;
    let base = format!(
        "/audit?unit={}&actor={}&action={}&entity={}&q={}&from={}&to={}",
        enc(&q.unit),
        enc(&q.actor),
        enc(&q.action),
        enc(&q.entity),
        enc(&q.q),
        enc(&q.from),
        enc(&q.to)
    );
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let body = html! {
        form method="get" action="/audit" {
            div class="row" {
                div { label for="unit" { (l.t("单位代码", "Unit code")) } input id="unit" name="unit" value=(v(&q.unit)); }
                div { label for="actor" { (l.t("操作人", "Who")) } input id="actor" name="actor" value=(v(&q.actor)); }
                div { label for="action" { (l.t("操作", "Action")) }
                    select id="action" name="action" {
                        option value="" { (l.t("全部", "All")) }
                        @for (code, zh, en) in ACTIONS { option value=(code) selected[q.action.as_deref() == Some(*code)] { (l.t(zh, en)) } }
                    } }
                div { label for="entity" { (l.t("对象类型", "Entity")) } input id="entity" name="entity" value=(v(&q.entity)) placeholder="household"; }
            }
            div class="row" {
                div { label for="q" { (l.t("内容包含", "Summary contains")) } input id="q" name="q" value=(v(&q.q)); }
                div { label for="from" { (l.t("起始日期", "From")) } input id="from" name="from" type="date" value=(v(&q.from)); }
                div { label for="to" { (l.t("截止日期", "To")) } input id="to" name="to" type="date" value=(v(&q.to)); }
                div { button type="submit" { (l.t("筛选", "Filter")) } }
            }
        }
        div class="scroll" { table class="cards" {
            thead { tr { th { (l.t("时间", "When")) } th { (l.t("操作人", "Who")) } th { (l.t("地址", "From")) } th { (l.t("操作", "Action")) } th { (l.t("对象", "Entity")) } th { (l.t("单位", "Unit")) } th { (l.t("摘要", "Summary")) } } }
            tbody { @for e in &rows { tr {
                td data-label=(l.t("时间", "When")) { (crate::layout::local_time(&e.at)) } td data-label=(l.t("操作人", "Who")) { (e.actor_name) } td data-label=(l.t("地址", "From")) { (e.ip) } td data-label=(l.t("操作", "Action")) { @if let Some(name) = action_label(l, &e.action) { (name) br; small class="muted" { (e.action) } } @else { code { (e.action) } } } td data-label=(l.t("对象", "Entity")) { (e.entity_type) " " (e.entity_id) } td data-label=(l.t("单位", "Unit")) { (e.unit_code) }
                td data-label=(l.t("摘要", "Summary")) style="white-space:normal;min-width:240px" { @for line in summary_lines(&e.summary) { div { (line) } } }
            } } }
        } }
        (pager(l, &base, page_no, 50, total))
        p { a class="button secondary" href=(base.replacen("/audit?", "/audit.xlsx?", 1)) { (l.t("导出 Excel（最多 10000 条）", "Export to Excel (up to 10,000 entries)")) } }
    };
    Ok(page(&ctx, l.t("审计日志", "Audit log"), None, body).into_response())
}

/// Entries an export holds at most (20 pages of the store's largest page).
const EXPORT_MAX: i64 = 10_000;

/// The filtered log as a spreadsheet, newest first, in the reader's words.
pub async fn audit_xlsx(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<AuditQuery>,
) -> PageResult {
    let l = ctx.lang;
    let mut filter = q.filter();
    filter.limit = 500;
    filter.offset = 0;
    let mut rows = Vec::new();
    while (rows.len() as i64) < EXPORT_MAX {
        let (page, total) = app::audit::list(&st.app, &ctx.actor, filter.clone())
            .await
            .lang(l)?;
        let done = page.is_empty() || filter.offset + 500 >= total;
        rows.extend(page.into_iter().map(|e| {
            vec![
                crate::layout::local_time(&e.at).to_string(),
                e.actor_name,
                e.ip,
                action_label(l, &e.action)
                    .map(str::to_string)
                    .unwrap_or_else(|| e.action.clone()),
                e.action,
                format!("{} {}", e.entity_type, e.entity_id),
                e.unit_code,
                summary_lines(&e.summary).join("\n"),
            ]
        }));
        if done {
            break;
        }
        filter.offset += 500;
    }
    let header = crate::pages::download::titles(
        l,
        &[
            ("时间", "When"),
            ("操作人", "Who"),
            ("地址", "From"),
            ("操作", "Action"),
            ("代码", "Code"),
            ("对象", "Entity"),
            ("单位", "Unit"),
            ("摘要", "Summary"),
        ],
    );
    crate::pages::download::xlsx(l, "audit.xlsx", l.t("审计日志", "audit"), &header, &rows)
}

/// Routes of the audit pages.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/audit", axum::routing::get(audit_page))
        .route("/audit.xlsx", axum::routing::get(audit_xlsx))
}
