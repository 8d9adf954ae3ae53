//! One household in a round: the score explained item by item (what, when, who recorded it,
//! evidence, pending or voided), the score-event form for grid members on a phone, second
//! confirmations, and the household filing form.

use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::i18n::Lang;
use crate::layout::{csrf, field, page, page_with};
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::credit::assess::HouseholdCredit;
use app::credit::records::{self, ProfileInput, RecordInput};
use app::credit::{assess, rounds};
use app::AppError;
use axum::extract::State;
use axum::response::IntoResponse;
use domain::access::Permission;
use domain::credit::{RecordStatus, RuleSet};
use domain::registry::FieldError;
use maud::{html, Markup};

fn status_label(l: Lang, s: RecordStatus) -> &'static str {
    match s {
        RecordStatus::Counted => l.t("已计分", "counted"),
        RecordStatus::Pending => l.t("待复核确认", "waiting for a second recorder"),
        RecordStatus::Voided => l.t("已作废", "voided"),
    }
}

fn explain(ctx: &Ctx, hc: &HouseholdCredit) -> Markup {
    let l = ctx.lang;
    let b = &hc.breakdown;
    let zh = l == Lang::Zh;
    let can_confirm = ctx.actor.role.can(Permission::EditCredit)
        && matches!(hc.round.stage.as_str(), "filing" | "assessed");
    html! {
        p class="score" {
            (l.t("基础分 ", "Base score ")) strong { (b.base) }
            " → " (l.t("现得分 ", "score ")) strong { (b.total) } " · " (l.t("等级 ", "grade ")) strong { (b.grade.as_str()) }
        }
        @if let (Some(s), Some(g)) = (hc.assessed_score, &hc.assessed_grade) {
            p { (if hc.is_final { l.t("终评结果：", "Final result: ") } else { l.t("初评结果：", "Preliminary result: ") }) (s) " / " (g) }
        }
        h2 { (l.t("逐项说明", "Item by item")) }
        @for line in &b.lines {
            section class="card" {
                h3 { (line.item_code) " " (if zh { &line.text } else { &line.text_en }) }
                p {
                    (if zh { line.aspect.label_zh() } else { line.aspect.label_en() }) " · "
                    (line.points_each) (l.t(" 分/次 × ", " per record × ")) (line.count) " = " (line.raw)
                    @if let Some(cap) = line.cap { " · " (l.t("上限 ±", "cap ±")) (cap) }
                    " → " strong { (line.applied) }
                    @if line.capped { " " (l.t("（已封顶）", "(capped)")) }
                }
                div class="scroll" {
                    table class="cards" {
                        thead { tr { th { (l.t("日期", "Date")) } th { (l.t("记录人", "Recorded by")) } th { (l.t("佐证", "Evidence")) } th { (l.t("状态", "Status")) } th {} } }
                        tbody {
                            @for r in &line.records {
                                @let full = hc.records.iter().find(|x| x.id == r.id);
                                tr {
                                    td data-label=(l.t("日期", "Date")) { (r.occurred_on) } td data-label=(l.t("记录人", "Recorded by")) { (r.recorder) } td data-label=(l.t("佐证", "Evidence")) { (r.evidence) }
                                    td data-label=(l.t("状态", "Status")) { (status_label(l, r.status))
                                         @if let Some(c) = full.and_then(|f| f.confirmed_by.as_ref()) { " (" (l.t("复核：", "confirmed by ")) (c) ")" }
                                         @if let Some(f) = full.filter(|f| f.voided && !f.void_reason.is_empty()) { " (" (f.void_reason) ")" } }
                                    td { @if can_confirm && r.status == RecordStatus::Pending {
                                        form method="post" action={ "/credit/records/" (r.id) "/confirm" } {
                                            (csrf(ctx))
                                            button type="submit" { (l.t("复核确认", "Confirm")) }
                                        }
                                    } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @for a in &b.adjustments {
            p { (l.t("异议更正：", "Objection correction: ")) (a.delta) " — " (a.reason) }
        }
        @if let (Some(s), Some(g)) = (hc.corrected_score, &hc.corrected_grade) {
            p { strong { (l.t("更正后结果：", "Result after corrections: ")) (s) " / " (g) } }
        }
        @for c in &hc.corrections {
            p { (l.t("终评后更正：", "Correction after final: ")) (c.points)
                @if let Some(g) = &c.grade { " → " (g) } " — " (c.reason) " (" (c.made_by) ", " (c.made_on) ")" }
        }
        @if b.lines.is_empty() { p { (l.t("本轮尚无记录，得分为基础分。", "No records in this round: the score is the base score.")) } }
    }
}

fn record_form(
    ctx: &Ctx,
    round_id: i64,
    hid: i64,
    rules: &RuleSet,
    errors: &[FieldError],
    v: &RecordInput,
) -> Markup {
    let l = ctx.lang;
    let zh = l == Lang::Zh;
    html! {
        h2 { (l.t("记录加减分事项", "Record a scored event")) }
        form method="post" action={ "/credit/rounds/" (round_id) "/households/" (hid) } {
            (csrf(ctx))
            (crate::layout::form_alert(l, errors))
            div {
                label for="item_code" { (l.t("事项", "Item")) " *" }
                select id="item_code" name="item_code" required {
                    @for a in rules.aspects() {
                        optgroup label=(if zh { a.label_zh() } else { a.label_en() }) {
                            @for it in rules.items_of(&a) {
                                option value=(it.code) selected[it.code == v.item_code] {
                                    (it.code) " " (if zh { &it.text } else { &it.text_en }) " (" (if it.points > 0 { "+" } else { "" }) (it.points) ")"
                                    @if rules.needs_confirmation(it) { (l.t(" 需复核", " needs 2nd recorder")) }
                                }
                            }
                        }
                    }
                }
                @for e in errors.iter().filter(|e| e.field == "item_code") { div class="field-error" { (e.message) } }
            }
            (crate::layout::date_field(l.t("发生日期", "Date"), "occurred_on", &v.occurred_on, errors, true))
            (field(l.t("佐证材料（照片名、名单、文书号）", "Evidence (photo, list, document no.)"), "evidence", &v.evidence, errors, true))
            @for e in errors.iter().filter(|e| !["item_code", "occurred_on", "evidence"].contains(&e.field)) { p class="field-error" { (e.message) } }
            button type="submit" { (l.t("保存", "Save")) }
        }
    }
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    hid: i64,
    flash: Option<&str>,
    errors: &[FieldError],
    v: &RecordInput,
) -> Result<Markup, AppError> {
    let hc = assess::household(&st.app, &ctx.actor, id, hid).await?;
    let rules = rounds::rules(&st.app, &ctx.actor, id).await?;
    let l = ctx.lang;
    let here = [(format!("{} {}", hc.household_no, hc.head_name), None)];
    let crumbs = super::crumbs(st, ctx, Some(&hc.round), &here).await;
    let body = html! {
        (crumbs)
        p { a href={ "/credit/households/" (hid) "/profile" } { (l.t("建档信息", "Filing")) } " · "
            a href={ "/credit/households/" (hid) "/passbook" } { (l.t("积分存折", "Passbook")) } }
        (explain(ctx, &hc))
        @if ctx.actor.role.can(Permission::EditCredit) && matches!(hc.round.stage.as_str(), "filing" | "assessed") {
            (record_form(ctx, id, hid, &rules, errors, v))
        }
    };
    let title = format!(
        "{} {} {}",
        hc.household_no,
        hc.head_name,
        l.t("信用评分", "credit score")
    );
    Ok(page(ctx, &title, flash, body))
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((id, hid)): PagePath<(i64, i64)>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let flash = q.flash.as_deref();
    let v = RecordInput {
        occurred_on: app::credit::today().to_string(),
        ..Default::default()
    };
    let body = render(&st, &ctx, id, hid, flash, &[], &v)
        .await
        .lang(ctx.lang)?;
    Ok(body.into_response())
}

pub async fn record(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath((id, hid)): PagePath<(i64, i64)>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let input = RecordInput {
        household_id: hid,
        item_code: f.get("item_code"),
        occurred_on: f.get("occurred_on"),
        evidence: f.get("evidence"),
    };
    match records::record(&st.app, &ctx.actor, id, &input).await {
        Ok(r) => Ok(redirect(
            &format!("/credit/rounds/{id}/households/{hid}"),
            if r.pending {
                Flash::RecordPending
            } else {
                Flash::Recorded
            },
        )),
        Err(e) => {
            let (status, errors) = crate::pages::forms::refusal(e, ctx.lang)?;
            let body = render(&st, &ctx, id, hid, None, &errors, &input)
                .await
                .lang(ctx.lang)?;
            Ok((status, body).into_response())
        }
    }
}

pub async fn confirm(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    form.csrf(&ctx)?;
    records::confirm(&st.app, &ctx.actor, id)
        .await
        .lang(ctx.lang)?;
    // The confirmation is done; if its place cannot be read back, the credit home will do.
    let back = match records::place_of(&st.app, &ctx.actor, id).await {
        Ok((round, household)) => format!("/credit/rounds/{round}/households/{household}"),
        Err(_) => "/credit".into(),
    };
    Ok(redirect(&back, Flash::RecordConfirmed))
}

fn profile_body(ctx: &Ctx, hid: i64, p: &ProfileInput, errors: &[FieldError]) -> Markup {
    let l = ctx.lang;
    html! {
        form method="post" action={ "/credit/households/" (hid) "/profile" } {
            (csrf(ctx))
            (crate::layout::form_alert(l, errors))
            (field(l.t("劳动力人数", "Working-age labourers"), "labour", &p.labour.to_string(), errors, true))
            (field(l.t("主要产业", "Main industry"), "industry", &p.industry, errors, false))
            div { label for="income_band" { (l.t("年收入区间", "Income band")) }
                select id="income_band" name="income_band" {
                    @for b in ["", "<3万", "3-5万", "5-10万", "10-20万", ">20万"] { option value=(b) selected[p.income_band == b] { (b) } }
                } }
            (field(l.t("贷款情况", "Loans"), "loans", &p.loans, errors, false))
            (field(l.t("还款记录", "Repayment history"), "repayment", &p.repayment, errors, false))
            div { label { input type="checkbox" name="consent_to_share" value="1" checked[p.consent_to_share];
                " " (l.t("户主同意向银行提供信用等级（可随时撤回）", "The household consents to share its grade with banks (revocable)")) } }
            button type="submit" { (l.t("保存", "Save")) }
        }
    }
}

pub async fn profile_form(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(hid): PagePath<i64>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let p = records::profile(&st.app, &ctx.actor, hid)
        .await
        .lang(l)?
        .unwrap_or_default();
    let flash = q.flash.as_deref();
    Ok(page(
        &ctx,
        l.t("农户信用建档", "Household filing"),
        flash,
        profile_body(&ctx, hid, &p, &[]),
    )
    .into_response())
}

pub async fn profile_save(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(hid): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let l = ctx.lang;
    let labour = f.get("labour").trim().parse::<i64>();
    let p = ProfileInput {
        labour: labour.clone().unwrap_or(-1),
        industry: f.get("industry"),
        income_band: f.get("income_band"),
        loans: f.get("loans"),
        repayment: f.get("repayment"),
        consent_to_share: f.get("consent_to_share") == "1",
    };
    match records::file_profile(&st.app, &ctx.actor, hid, &p).await {
        Ok(()) => Ok(redirect(
            &format!("/credit/households/{hid}/profile"),
            Flash::Saved,
        )),
        Err(e) => {
            let (status, errors) = crate::pages::forms::refusal(e, l)?;
            Ok(page_with(
                status,
                &ctx,
                l.t("农户信用建档", "Household filing"),
                profile_body(&ctx, hid, &p, &errors),
            ))
        }
    }
}
