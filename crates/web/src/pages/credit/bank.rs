//! The bank page: final grades of consenting households in the officer's area, recording a
//! credit line; households granted and amounts by village.

use super::fen;
use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{csrf, page};
use crate::pages::forms::PageQuery;
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::AppState;
use app::credit::bank::{self, LineInput};
use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let rows = bank::consenting(&st.app, &ctx.actor, "", None)
        .await
        .lang(l)?;
    let by_village = bank::by_village(&st.app, &ctx.actor, "").await.lang(l)?;
    let today = app::credit::today().to_string();
    let body = html! {
        h2 { (l.t("已授信（按村）", "Credit lines by village")) }
        div class="scroll" { table class="cards" {
            thead { tr { th { (l.t("村", "Village")) } th { (l.t("户数", "Households")) } th { (l.t("金额（元）", "Amount (yuan)")) } } }
            tbody { @for v in &by_village { tr { td data-label=(l.t("村", "Village")) { (v.village_name) " " small { (v.village_code) } } td data-label=(l.t("户数", "Households")) { (v.households) } td data-label=(l.t("金额（元）", "Amount (yuan)")) { (fen(v.amount_fen)) } } } }
        } }
        h2 { (l.t("同意共享的农户终评等级", "Final grades of consenting households")) }
        p { a class="button secondary" href="/credit/bank.xlsx" { (l.t("导出 Excel", "Export to Excel")) } }
        div class="scroll" { table class="cards" {
            thead { tr { th { (l.t("村", "Village")) } th { (l.t("户号", "No.")) } th { (l.t("户主", "Head")) } th { (l.t("等级", "Grade")) } th { (l.t("产业", "Industry")) } th { (l.t("授信", "Grant")) } } }
            tbody { @for r in &rows { tr {
                td data-label=(l.t("村", "Village")) { (r.village_code) } td data-label=(l.t("户号", "No.")) { (r.household_no) } td data-label=(l.t("户主", "Head")) { (r.head_name) } td data-label=(l.t("等级", "Grade")) { (r.grade) " (" (r.score) ")" } td data-label=(l.t("产业", "Industry")) { (r.industry) }
                td data-label=(l.t("授信", "Grant")) { form method="post" action="/credit/bank" {
                    (csrf(&ctx))
                    input type="hidden" name="household_id" value=(r.household_id);
                    input name="amount_yuan" placeholder=(l.t("金额（元）", "amount (yuan)")) inputmode="decimal" size="8" required;
                    input name="term_months" value="12" inputmode="numeric" size="3" aria-label=(l.t("期限（月）", "term (months)"));
                    input name="rate_bp" value="435" inputmode="numeric" size="4" aria-label=(l.t("年利率（基点）", "rate (basis points)"));
                    input name="granted_on" type="date" value=(today) aria-label=(l.t("授信日期", "Granted on"));
                    button type="submit" { (l.t("记录授信", "Record")) }
                } }
            } } }
        } }
    };
    Ok(page(
        &ctx,
        l.t("银行授信", "Bank credit lines"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

/// Yuan as typed (`50000`, `5,000.50`) to fen; unreadable text becomes -1, which the use case
/// refuses as not positive.
fn yuan_to_fen(s: &str) -> i64 {
    domain::Fen::parse_yuan(s).map(|f| f.0).unwrap_or(-1)
}

pub async fn grant(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let f = form.csrf(&ctx)?;
    let input = LineInput {
        household_id: f.get("household_id").parse().unwrap_or(0),
        amount_fen: yuan_to_fen(&f.get("amount_yuan")),
        term_months: f.get("term_months").trim().parse().unwrap_or(0),
        rate_bp: f.get("rate_bp").trim().parse().unwrap_or(-1),
        granted_on: f.get("granted_on"),
    };
    bank::grant(&st.app, &ctx.actor, &input)
        .await
        .lang(ctx.lang)?;
    Ok(redirect("/credit/bank", Flash::CreditLineRecorded))
}

/// The consenting households' final grades as a spreadsheet (what a bank branch files).
pub async fn bank_xlsx(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let l = ctx.lang;
    let rows = bank::consenting(&st.app, &ctx.actor, "", None)
        .await
        .lang(l)?;
    let header = crate::pages::download::titles(
        l,
        &[
            ("村", "Village"),
            ("户号", "No."),
            ("户主", "Head"),
            ("等级", "Grade"),
            ("产业", "Industry"),
        ],
    );
    let body: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            vec![
                r.village_code,
                r.household_no,
                r.head_name,
                r.grade,
                r.industry,
            ]
        })
        .collect();
    crate::pages::download::xlsx(
        l,
        "credit-grades.xlsx",
        l.t("信用等级", "grades"),
        &header,
        &body,
    )
}
