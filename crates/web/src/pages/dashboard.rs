//! The dashboard: figures for the account's whole scope and each unit one level down.

use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::page;
use crate::pages::forms::FlashQuery;
use crate::pages::forms::PageQuery;
use crate::AppState;
use app::registry::units;
use app::waiting::Waiting;
use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;

pub async fn dashboard(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let a = &ctx.actor;
    // A villager's home is their own page: the tree is not theirs to see.
    if a.role == domain::access::Role::Villager {
        return Ok(axum::response::Redirect::to("/me").into_response());
    }
    let root = a.scope.root.clone();
    let tops = units::top(&st.app, a).await.lang(l)?;
    let (heading_units, rows) = if root.is_empty() {
        (tops.clone(), tops.clone())
    } else {
        (
            tops.clone(),
            units::children(&st.app, a, &root).await.lang(l)?,
        )
    };
    let shown: Vec<units::Unit> = rows.iter().take(60).cloned().collect();
    let (totals, counts) = units::dashboard_counts(&st.app, a, &root, &shown)
        .await
        .lang(l)?;
    let row_counts: Vec<(units::Unit, (i64, i64))> = shown.into_iter().zip(counts).collect();
    let scope_name = heading_units
        .first()
        .filter(|_| !root.is_empty())
        .map(|u| u.name.clone())
        .unwrap_or_else(|| l.t("全国", "Nationwide").into());
    let waiting = app::waiting::for_actor(&st.app, a, app::credit::today())
        .await
        .lang(l)?;
    let body = html! {
        p class="muted" { (l.t("范围：", "Scope: ")) (scope_name) }
        @if !waiting.is_empty() {
            section class="waiting" aria-labelledby="waiting-h" {
                h2 id="waiting-h" { (l.t("待办事项", "Waiting for you")) }
                ul { @for w in &waiting { li { (waiting_item(l, w)) } } }
            }
        }
        div class="stats" {
            @for (level, n) in &totals.by_level { div class="stat" { span { (l.level(level)) } b { (n) } } }
            div class="stat" { span { (l.t("户数", "Households")) } b { (totals.households) } }
            div class="stat" { span { (l.t("人口", "People")) } b { (totals.members) } }
        }
        h2 { (l.t("下级单位", "Units below")) }
        div class="scroll" { table {
            thead { tr { th { (l.t("代码", "Code")) } th { (l.t("名称", "Name")) } th { (l.t("层级", "Level")) } th { (l.t("户数", "Households")) } th { (l.t("人口", "People")) } } }
            tbody { @for (u, c) in &row_counts { tr {
                td { a href={ "/units/" (u.code) } { (u.code) } } td { (u.name) } td { (l.level(&u.level)) } td { (c.0) } td { (c.1) }
            } } }
        } }
        @if rows.len() > 60 { p class="muted" { (l.t("仅显示前 60 个，其余请在行政区划中查看。", "Showing the first 60; see Units for the rest.")) } }
    };
    Ok(page(&ctx, l.t("首页", "Dashboard"), q.flash.as_deref(), body).into_response())
}

fn waiting_item(l: crate::i18n::Lang, w: &Waiting) -> maud::Markup {
    match w {
        Waiting::OpenObjections {
            round_id,
            period,
            count,
        } => html! {
            a href={ "/credit/rounds/" (round_id) "/objections" } { (period) " · " (l.t("待处理异议 ", "open objections: ")) (count) }
        },
        Waiting::RecordsToConfirm {
            round_id,
            period,
            count,
        } => html! {
            a href={ "/credit/rounds/" (round_id) } { (period) " · " (l.t("待复核的重大事项 ", "heavy records to confirm: ")) (count) }
        },
        Waiting::ReadyToFinalize { round_id, period } => html! {
            a href={ "/credit/rounds/" (round_id) } { (period) " · " (l.t("公示期满，可以终评定级", "publicity over: ready for the final assessment")) }
        },
        Waiting::PublicityEnding {
            round_id,
            period,
            last_day,
        } => html! {
            a href={ "/credit/rounds/" (round_id) } { (period) " · " (l.t("公示将于 ", "publicity ends ")) (last_day) (l.t(" 结束", "")) }
        },
        Waiting::OverdueRectifications {
            village_code,
            village_name,
            count,
        } => html! {
            a href={ "/villages/" (village_code) "/ledger" } { (village_name) " · " (l.t("逾期未整改的合同问题 ", "rectifications past their deadline: ")) (count) }
        },
    }
}
