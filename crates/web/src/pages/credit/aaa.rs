//! The AAA list to print and post or hand to the township: the AAA households of each
//! village's latest final round, signed by the preparer, the reviewer and the villagers'
//! supervisory committee (as the printed ledger report).

use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::page;
use crate::pages::forms::PagePath;
use crate::pages::print;
use crate::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use maud::html;

/// GET `/credit/units/{code}/aaa`: the printable AAA list of a unit in the account's area.
pub async fn print_list(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> PageResult {
    let l = ctx.lang;
    let list = app::credit::bank::aaa_list(&st.app, &ctx.actor, &code)
        .await
        .lang(l)?;
    let unit = app::registry::units::get(&st.app, &ctx.actor, &code)
        .await
        .lang(l)?;
    let today = app::credit::today();
    let here = [(l.t("AAA级信用户名单", "AAA households").to_string(), None)];
    let crumbs = super::crumbs(&st, &ctx, None, &here).await;
    let body = html! {
        (crumbs)
        (print::style())
        div class="report" {
            (print::how_to_print(l, "/credit", l.t("返回信用村", "Back to the credit village")))
            p { (unit.name) " (" (code) ") · " (l.t("制表日期 ", "Printed ")) (today) " · " (l.t("共 ", "")) (list.len()) (l.t(" 户", " households")) }
            @if list.is_empty() {
                p { (l.t("尚无终评定级的AAA级信用户。", "No AAA households in a finalized round yet.")) }
            } @else {
                div class="scroll" { table class="cards" {
                    thead { tr { th { (l.t("序号", "#")) } th { (l.t("村", "Village")) } th { (l.t("户号", "No.")) } th { (l.t("户主", "Head")) } th { (l.t("得分", "Score")) } th { (l.t("评定轮次", "Round")) } } }
                    tbody { @for (i, e) in list.iter().enumerate() { tr {
                        td data-label=(l.t("序号", "#")) { (i + 1) }
                        td data-label=(l.t("村", "Village")) { (e.village_name) }
                        td data-label=(l.t("户号", "No.")) { (e.household_no) }
                        td data-label=(l.t("户主", "Head")) { (e.head_name) }
                        td data-label=(l.t("得分", "Score")) { (e.score) }
                        td data-label=(l.t("评定轮次", "Round")) { "#" (e.round) }
                    } } }
                } }
            }
            (print::signatures(l))
        }
    };
    let title = format!(
        "{} · {}",
        unit.name,
        l.t("AAA级信用户名单", "AAA households")
    );
    Ok(page(&ctx, &title, None, body).into_response())
}
