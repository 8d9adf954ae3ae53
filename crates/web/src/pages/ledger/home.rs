//! The village ledger home: the four ledgers with counts, the summary, and every flag
//! (cadre-related first) with its task.

use super::{bar, status_label, subnav, yuan};
use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::page;
use crate::pages::forms::FlashQuery;
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::ledger::summary::of_ledger;
use app::ledger::view::{load, FlagView};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::access::Permission;
use domain::ledger::{DebtMethod, FlagCode};
use maud::{html, Markup};

/// `/ledger`: the account's own village, or the ranking of its township/county.
pub async fn entry(ctx: Ctx) -> PageResult {
    let root = ctx.actor.scope.root.clone();
    Ok(match root.len() {
        12..=14 => Redirect::to(&format!("/villages/{}/ledger", &root[..12])).into_response(),
        0 => Redirect::to("/tree").into_response(),
        _ => Redirect::to(&format!("/units/{root}/ledger")).into_response(),
    })
}

pub fn flag_table(ctx: &Ctx, code: &str, flags: &[&FlagView]) -> Markup {
    let l = ctx.lang;
    html! {
        div class="scroll" { table class="cards" {
            thead { tr { th { (l.t("合同", "Contract")) } th { (l.t("问题", "Problem")) } th { (l.t("说明", "Details")) } th { (l.t("整改", "Task")) } th { (l.t("期限", "Deadline")) } } }
            tbody { @for f in flags { tr {
                td data-label=(l.t("合同", "Contract")) { (f.contract_no) }
                td data-label=(l.t("问题", "Problem")) { @if f.code == FlagCode::RelatedCadre.as_str() { b class="error" { (if l.is_zh() { &f.label_zh } else { &f.label_en }) } } @else { (if l.is_zh() { &f.label_zh } else { &f.label_en }) }
                    br; span class="muted" { (if l.is_zh() { &f.explain_zh } else { &f.explain_en }) } }
                td data-label=(l.t("说明", "Details")) style="white-space:normal" { (if l.is_zh() { &f.detail_zh } else { &f.detail_en }) }
                td data-label=(l.t("整改", "Task")) { a href={ "/villages/" (code) "/ledger/flags/" (f.id) } { (status_label(l, &f.status)) } }
                td data-label=(l.t("期限", "Deadline")) { (f.deadline.as_deref().unwrap_or("—")) }
            } } }
        } }
    }
}

pub async fn village(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let ledger = load(&st.app, &ctx.actor, &code).await.lang(l)?;
    let s = of_ledger(&ledger).lang(l)?;
    let flags = ledger.flags();
    let can_edit = ctx.actor.role.can(Permission::EditLedger);
    let d = &s.debts;
    let body = html! {
        (subnav(l, &code))
        div class="stats" {
            div class="stat" { span { (l.t("合同", "Contracts")) } b { (s.contracts.count) } span class="muted" { (l.t("有问题 ", "flagged ")) (s.contracts.flagged) (l.t("，已整改 ", ", rectified ")) (s.contracts.rectified) } }
            div class="stat" { span { (l.t("债务", "Debts")) } b { (d.count) } span class="muted" { (yuan(d.principal_fen.0)) } }
            div class="stat" { span { (l.t("债务化解进度", "Debt resolution")) } b { (format!("{:.1}%", d.progress_pct)) } (bar(d.progress_pct)) }
            div class="stat" { span { (l.t("债权", "Claims")) } b { (s.claims.count) } span class="muted" { (l.t("已收回 ", "collected ")) (yuan(s.claims.collected_fen.0)) " / " (yuan(s.claims.amount_fen.0)) } }
            div class="stat" { span { (l.t("资源", "Resources")) } b { (s.resources.count) } span class="muted" { (l.t("闲置 ", "idle ")) (s.resources.idle_count) (l.t("，无合同占用 ", ", occupied without contract ")) (s.resources.occupied_without_contract_count) } }
            div class="stat" { span { (l.t("年租金", "Annual rent")) } b { (yuan(s.contracts.annual_rent_fen.0)) } }
        }
        h2 { (l.t("债务化解方式", "Resolution by method")) }
        div class="card" { @for m in DebtMethod::ALL {
            @let v = d.by_method_fen.get(*m).0;
            @let pct = if d.principal_fen.0 > 0 { v as f64 * 100.0 / d.principal_fen.0 as f64 } else { 0.0 };
            div class="row" { span { (if l.is_zh() { m.label_zh() } else { m.label_en() }) } span { (bar(pct)) } span { (yuan(v)) } }
        } }
        h2 { (l.t("问题合同（涉及村干部的优先）", "Flagged contracts (cadre-related first)")) }
        @if flags.is_empty() { p class="muted" { (l.t("暂无问题。", "No flags.")) } } @else { (flag_table(&ctx, &code, &flags)) }
        @if can_edit {
            form method="post" action={ "/villages/" (code) "/ledger/recompute" } class="noprint" { (crate::layout::csrf(&ctx))
                button class="secondary" type="submit" { (l.t("按最新规则重新检查", "Recheck with current rules")) } }
        }
        p class="muted" { a href={ "/api/v1/villages/" (code) "/ledger/summary" } { "JSON" } }
    };
    let title = format!(
        "{} · {}",
        ledger.village.name,
        l.t("集体“三资”台账", "Collective ledgers")
    );
    Ok(page(&ctx, &title, q.flash.as_deref(), body).into_response())
}

pub async fn recompute(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    form: crate::pages::forms::RawForm,
) -> PageResult {
    form.csrf(&ctx)?;
    app::ledger::recompute::recompute(&st.app, &ctx.actor, &code)
        .await
        .lang(ctx.lang)?;
    Ok(crate::pages::forms::redirect(
        &format!("/villages/{code}/ledger"),
        crate::pages::forms::Flash::Saved,
    ))
}
