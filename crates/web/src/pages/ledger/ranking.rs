//! Every village of a township or county in one table, sortable by any column through the
//! query string, with a drill-down link and inline SVG bars of resolution progress.

use super::{bar, yuan};
use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::page;
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::ledger::summary::scope_rows;
use app::registry::units;
use axum::extract::State;
use axum::response::IntoResponse;
use domain::ledger::FlagCode;
use maud::html;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct RankQuery {
    sort: Option<String>,
    order: Option<String>,
}

pub async fn ranking(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<RankQuery>,
) -> PageResult {
    let l = ctx.lang;
    let unit = units::get(&st.app, &ctx.actor, &code).await.lang(l)?;
    let sort = q
        .sort
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "progress_pct".into());
    let asc = q.order.as_deref() == Some("asc");
    let rows = scope_rows(&st.app, &ctx.actor, &code, Some(&sort), asc)
        .await
        .lang(l)?;
    let head = |key: &str, zh: &'static str, en: &'static str| {
        let next = if sort == key && !asc { "asc" } else { "desc" };
        let arrow = if sort == key {
            if asc {
                " ▲"
            } else {
                " ▼"
            }
        } else {
            ""
        };
        html! { th { a href={ "/units/" (code) "/ledger?sort=" (key) "&order=" (next) } { (l.t(zh, en)) (arrow) } } }
    };
    let max_principal = rows
        .iter()
        .map(|r| r.summary.debts.principal_fen.0)
        .max()
        .unwrap_or(0)
        .max(1);
    let body = html! {
        p { a href={ "/units/" (code) } { (l.t("返回区划", "Back to the unit")) } }
        h2 { (l.t("债务化解进度", "Debt resolution progress")) }
        div class="card" {
            svg width="100%" height=(rows.len() * 18 + 4) role="img" aria-label=(l.t("各村债务化解进度", "Resolution progress by village")) {
                @for (i, r) in rows.iter().enumerate() {
                    @let y = i * 18 + 2;
                    text x="0" y=(y + 12) font-size="12" { (r.name) }
                    rect x="35%" y=(y) width="60%" height="14" fill="#e5e7eb" {}
                    rect x="35%" y=(y) width=(format!("{:.1}%", r.summary.debts.progress_pct * 0.6)) height="14" fill="#15803d" {}
                    text x="96%" y=(y + 12) font-size="12" text-anchor="end" { (progress_text(l, r)) }
                }
            }
        }
        div class="scroll" { table {
            thead { tr {
                (head("name", "村", "Village"))
                (head("principal_fen", "债务本金", "Debt principal"))
                (head("resolved_fen", "已化解", "Resolved"))
                (head("progress_pct", "化解进度", "Progress"))
                (head("flagged", "问题合同", "Flagged"))
                (head("related_cadre", "涉及村干部", "Cadre-related"))
                (head("open_flags", "待整改", "Open tasks"))
                (head("rectified", "已整改合同", "Rectified"))
                (head("collected_fen", "已收回欠款", "Arrears collected"))
                (head("idle_count", "闲置资源", "Idle"))
                (head("occupied_without_contract_count", "无合同占用", "Unlicensed use"))
            } }
            tbody { @for r in &rows {
                @let s = &r.summary;
                tr {
                    td { a href={ "/villages/" (s.village) "/ledger" } { (r.name) } }
                    td { (yuan(s.debts.principal_fen.0)) " " (bar(s.debts.principal_fen.0 as f64 * 100.0 / max_principal as f64)) }
                    td { (yuan(s.debts.resolved_fen.0)) }
                    td { @if s.debts.principal_fen.0 > 0 { (bar(s.debts.progress_pct)) " " } (progress_text(l, r)) }
                    td { (s.contracts.flagged) }
                    td { (s.contracts.flags_by_code.get(&FlagCode::RelatedCadre).copied().unwrap_or(0)) }
                    td { (r.open_flags) }
                    td { (s.contracts.rectified) }
                    td { (yuan(s.claims.collected_fen.0)) }
                    td { (s.resources.idle_count) }
                    td { (s.resources.occupied_without_contract_count) }
                }
            } }
        } }
        p { a class="button" href={ "/units/" (code) "/ledger/ranking.xlsx?sort=" (sort) "&order=" (if asc { "asc" } else { "desc" }) } { (l.t("导出 Excel", "Export to Excel")) }
            " " span class="muted" { a href={ "/api/v1/units/" (code) "/ledger/villages?sort=" (sort) "&order=" (if asc { "asc" } else { "desc" }) } { (l.t("数据接口（JSON）", "Data (JSON)")) } } }
    };
    let title = format!(
        "{} · {}",
        unit.name,
        l.t("各村“三资”清理排名", "Village ledger ranking")
    );
    Ok(page(&ctx, &title, None, body).into_response())
}

/// A village's progress, or that it has no debts to resolve (not "0.0 %").
fn progress_text(l: crate::i18n::Lang, r: &app::ledger::summary::VillageRow) -> String {
    if r.summary.debts.principal_fen.0 == 0 {
        l.t("无债务", "no debts").to_string()
    } else {
        format!("{:.1}%", r.summary.debts.progress_pct)
    }
}

/// The ranking as a spreadsheet, in the page's order and language.
pub async fn ranking_xlsx(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<RankQuery>,
) -> PageResult {
    let l = ctx.lang;
    let unit = units::get(&st.app, &ctx.actor, &code).await.lang(l)?;
    let asc = q.order.as_deref() == Some("asc");
    let rows = scope_rows(&st.app, &ctx.actor, &code, q.sort.as_deref(), asc)
        .await
        .lang(l)?;
    let header = crate::pages::download::titles(
        l,
        &[
            ("村", "Village"),
            ("代码", "Code"),
            ("债务本金（元）", "Debt principal (yuan)"),
            ("已化解（元）", "Resolved (yuan)"),
            ("化解进度", "Progress"),
            ("问题合同", "Flagged"),
            ("涉及村干部", "Cadre-related"),
            ("待整改", "Open tasks"),
            ("已整改合同", "Rectified"),
            ("已收回欠款（元）", "Arrears collected (yuan)"),
            ("闲置资源", "Idle"),
            ("无合同占用", "Unlicensed use"),
        ],
    );
    let plain = |fen: i64| domain::Fen(fen).to_yuan_string();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let s = &r.summary;
            vec![
                r.name.clone(),
                s.village.clone(),
                plain(s.debts.principal_fen.0),
                plain(s.debts.resolved_fen.0),
                progress_text(l, r),
                s.contracts.flagged.to_string(),
                s.contracts
                    .flags_by_code
                    .get(&FlagCode::RelatedCadre)
                    .copied()
                    .unwrap_or(0)
                    .to_string(),
                r.open_flags.to_string(),
                s.contracts.rectified.to_string(),
                plain(s.claims.collected_fen.0),
                s.resources.idle_count.to_string(),
                s.resources.occupied_without_contract_count.to_string(),
            ]
        })
        .collect();
    crate::pages::download::xlsx(
        l,
        &format!("{}-ranking.xlsx", unit.code),
        l.t("排名", "ranking"),
        &header,
        &body,
    )
}
