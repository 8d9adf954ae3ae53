//! The printable village ledger report: summary, flagged contracts, debts, claims, resources.
//! Print CSS hides the navigation and keeps tables whole.

use super::{home::flag_table, yuan};
use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::page;
use crate::pages::forms::PagePath;
use crate::AppState;
use app::ledger::summary::of_ledger;
use app::ledger::view::load;
use axum::extract::State;
use axum::response::IntoResponse;
use domain::ledger::DebtMethod;
use maud::html;

pub async fn report(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> PageResult {
    let l = ctx.lang;
    let ledger = load(&st.app, &ctx.actor, &code).await.lang(l)?;
    let s = of_ledger(&ledger).lang(l)?;
    let flags = ledger.flags();
    let d = &s.debts;
    let today = chrono::Local::now().date_naive();
    let body = html! {
        (crate::pages::print::style())
        div class="report" {
        (crate::pages::print::how_to_print(l, &format!("/villages/{code}/ledger"), l.t("返回台账", "Back to the ledgers")))
        p { (ledger.village.name) " (" (code) ") · " (l.t("制表日期 ", "Printed ")) (today) }
        h2 { (l.t("一、汇总", "1. Summary")) }
        div class="scroll" { table { tbody {
            tr { th { (l.t("合同", "Contracts")) } td class="wrap" { (s.contracts.count) (l.t(" 份，有问题 ", ", flagged ")) (s.contracts.flagged) (l.t(" 份，已整改 ", ", rectified ")) (s.contracts.rectified) (l.t(" 份；年租金 ", "; annual rent ")) (yuan(s.contracts.annual_rent_fen.0)) } }
            tr { th { (l.t("债务", "Debts")) } td class="wrap" { (d.count) (l.t(" 笔，本金 ", ", principal ")) (yuan(d.principal_fen.0)) (l.t("，已化解 ", ", resolved ")) (yuan(d.resolved_fen.0)) " (" (format!("{:.1}%", d.progress_pct)) ")" (l.t("，剩余 ", ", remaining ")) (yuan(d.remaining_fen.0)) } }
            @for m in DebtMethod::ALL { tr { th { "· " (if l.is_zh() { m.label_zh() } else { m.label_en() }) } td { (yuan(d.by_method_fen.get(*m).0)) } } }
            tr { th { (l.t("债权", "Claims")) } td class="wrap" { (s.claims.count) (l.t(" 笔，金额 ", ", amount ")) (yuan(s.claims.amount_fen.0)) (l.t("，已收回 ", ", collected ")) (yuan(s.claims.collected_fen.0)) } }
            tr { th { (l.t("资源", "Resources")) } td class="wrap" { (s.resources.count) (l.t(" 项，闲置 ", ", idle ")) (s.resources.idle_count) (l.t(" 项，无合同占用 ", ", occupied without contract ")) (s.resources.occupied_without_contract_count) (l.t(" 项", "")) } }
        } } }
        h2 { (l.t("二、问题合同及整改（涉及村干部的优先）", "2. Flagged contracts and rectification (cadre-related first)")) }
        div class="scroll" { (flag_table(&ctx, &code, &flags)) }
        h2 { (l.t("三、债务", "3. Debts")) }
        div class="scroll" { table class="cards" { thead { tr { th { (l.t("编号", "No.")) } th { (l.t("债权人", "Creditor")) } th { (l.t("本金", "Principal")) } th { (l.t("已化解", "Resolved")) } th { (l.t("进度", "Progress")) } } }
            tbody { @for x in &ledger.debts { tr { td data-label=(l.t("编号", "No.")) { (x.draft.debt_no) } td data-label=(l.t("债权人", "Creditor")) { (x.draft.creditor) } td data-label=(l.t("本金", "Principal")) { (yuan(x.principal_fen)) } td data-label=(l.t("已化解", "Resolved")) { (yuan(x.resolved_fen)) } td data-label=(l.t("进度", "Progress")) { (format!("{:.1}%", x.progress_pct)) } } } } } }
        h2 { (l.t("四、债权", "4. Claims")) }
        div class="scroll" { table class="cards" { thead { tr { th { (l.t("编号", "No.")) } th { (l.t("债务人", "Debtor")) } th { (l.t("金额", "Amount")) } th { (l.t("已收回", "Collected")) } th { (l.t("来源", "Origin")) } } }
            tbody { @for x in &ledger.claims { tr { td data-label=(l.t("编号", "No.")) { (x.draft.claim_no) } td data-label=(l.t("债务人", "Debtor")) { (x.draft.debtor) } td data-label=(l.t("金额", "Amount")) { (yuan(x.amount_fen)) } td data-label=(l.t("已收回", "Collected")) { (yuan(x.collected_fen)) } td data-label=(l.t("来源", "Origin")) { (x.draft.origin) } } } } } }
        h2 { (l.t("五、资源", "5. Resources")) }
        div class="scroll" { table class="cards" { thead { tr { th { (l.t("编号", "No.")) } th { (l.t("名称", "Name")) } th { (l.t("面积（亩）", "Area (mu)")) } th { (l.t("状态", "Status")) } th { (l.t("合同", "Contract")) } } }
            tbody { @for x in &ledger.resources { tr { td data-label=(l.t("编号", "No.")) { (x.draft.resource_no) } td data-label=(l.t("名称", "Name")) { (x.draft.name) } td data-label=(l.t("面积（亩）", "Area (mu)")) { (x.draft.area_mu) } td data-label=(l.t("状态", "Status")) { (x.draft.status) } td data-label=(l.t("合同", "Contract")) { (x.draft.contract_no) } } } } } }
        // Who answers for the printed report: the preparer, the reviewer and the villagers'
        // supervisory committee sign, each with a date.
        (crate::pages::print::signatures(l))
        }
    };
    let title = format!(
        "{} · {}",
        ledger.village.name,
        l.t("集体“三资”清理台账报表", "Collective ledger report")
    );
    Ok(page(&ctx, &title, None, body).into_response())
}
