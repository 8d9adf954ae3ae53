//! The review group's page: every objection of a round, upheld (score corrected by points or
//! by voiding a record) or rejected with a reason.

use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{csrf, page};
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::credit::objection_contacts;
use app::credit::objections::{self, Decision};
use axum::extract::State;
use axum::response::IntoResponse;
use domain::access::Permission;
use maud::html;

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let list = objections::list(&st.app, &ctx.actor, id).await.lang(l)?;
    let can_reveal = ctx.actor.role.can(Permission::RevealPersonal);
    let round = app::credit::rounds::get(&st.app, &ctx.actor, id)
        .await
        .lang(l)?;
    let here = [(l.t("异议评议", "Objection review").to_string(), None)];
    let crumbs = super::crumbs(&st, &ctx, Some(&round), &here).await;
    let body = html! {
        (crumbs)
        @if list.is_empty() { p { (l.t("暂无异议。", "No objections.")) } }
        @for o in &list {
            section class="card" {
                h3 { "#" (o.id) " · " (l.t("户号 ", "Household ")) a href={ "/credit/rounds/" (id) "/households/" (o.household_id) } { (o.household_no) } }
                p { (o.raised_by) " (" (o.contact) "), " (o.raised_on) ": " (o.reason) }
                @if can_reveal && !o.contact.is_empty() {
                    form method="post" action={ "/credit/objections/" (o.id) "/contact" } {
                        (csrf(&ctx))
                        button class="secondary" type="submit" title=(l.t("查看完整联系方式（将记入审计日志）", "Show in full (audited)")) { (l.t("查看联系方式", "Reveal contact")) }
                    }
                }
                @if o.status == "open" {
                    form method="post" action={ "/credit/objections/" (o.id) "/resolve" } {
                        (csrf(&ctx))
                        div { label { input type="radio" name="decision" value="uphold"; " " (l.t("成立：更正得分", "Uphold: correct the score")) } }
                        div { label for={ "p" (o.id) } { (l.t("加减分", "Points")) } input id={ "p" (o.id) } name="points" inputmode="numeric"; }
                        div { label for={ "r" (o.id) } { (l.t("或作废记录编号", "or void record no.")) } input id={ "r" (o.id) } name="record_id" inputmode="numeric"; }
                        div { label { input type="radio" name="decision" value="reject"; " " (l.t("不成立：驳回（须说明理由）", "Reject (reason required)")) } }
                        div { label for={ "why" (o.id) } { (l.t("理由", "Reason")) } textarea id={ "why" (o.id) } name="reason" {} }
                        button type="submit" { (l.t("提交评议结果", "Submit decision")) }
                    }
                } @else {
                    p { strong { (if o.status == "upheld" { l.t("成立", "Upheld") } else { l.t("驳回", "Rejected") }) }
                        @if o.fix_points != 0 { " " (o.fix_points) } @if let Some(r) = o.fix_record_id { " #" (r) }
                        " — " (o.decision_reason) " (" (o.decided_by.clone().unwrap_or_default()) ", " (o.decided_on.clone().unwrap_or_default()) ")" }
                }
            }
        }
    };
    Ok(page(
        &ctx,
        l.t("异议评议", "Objection review"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

pub async fn resolve(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let l = ctx.lang;
    let decision = match f.get("decision").as_str() {
        "uphold" => Decision::Uphold {
            points: f.get("points").trim().parse().unwrap_or(0),
            record_id: f.get("record_id").trim().parse().ok(),
            reason: f.get("reason"),
        },
        _ => Decision::Reject {
            reason: f.get("reason"),
        },
    };
    let o = objections::resolve(&st.app, &ctx.actor, id, &decision, app::credit::today())
        .await
        .lang(l)?;
    Ok(redirect(
        &format!("/credit/rounds/{}/objections", o.round_id),
        Flash::ObjectionResolved,
    ))
}

/// An objector's contact in full, for a role that may reveal personal numbers (audited).
pub async fn reveal_contact(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let l = ctx.lang;
    form.csrf(&ctx)?;
    let contact = objection_contacts::reveal(&st.app, &ctx.actor, id)
        .await
        .lang(l)?;
    let body = html! {
        div class="card" {
            p { b { (l.t("联系方式：", "Contact: ")) } (contact) }
            p class="warn" { (l.t("本次查看已记入审计日志。", "This reveal has been recorded in the audit log.")) }
        }
    };
    Ok(page(
        &ctx,
        l.t("异议人联系方式", "Objector's contact"),
        None,
        body,
    )
    .into_response())
}
