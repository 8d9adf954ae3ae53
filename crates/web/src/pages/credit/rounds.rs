//! Rounds: list and open; one round's page follows each village through the four steps.

use super::stage_label;
use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::layout::{csrf, field, page, pager};
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::credit::{assess, rounds};
use app::registry::units;
use app::AppError;
use axum::extract::State;
use axum::response::IntoResponse;
use domain::access::Permission;
use domain::registry::FieldError;
use maud::{html, Markup};

/// The villages and townships a round may be opened over, by name: the account's own unit and,
/// under a township or county, the units below it. Empty for wider areas (a code is typed).
async fn round_units(st: &AppState, ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    let a = &ctx.actor;
    let root = a.scope.root.clone();
    let l = ctx.lang;
    let named = |u: &app::registry::units::Unit| {
        (
            u.code.clone(),
            format!("{}（{}）", u.name, l.level(&u.level)),
        )
    };
    let mut out = Vec::new();
    match root.len() {
        12 => out.push(named(&units::get(&st.app, a, &root).await.lang(l)?)),
        9 => {
            out.push(named(&units::get(&st.app, a, &root).await.lang(l)?));
            out.extend(
                units::children(&st.app, a, &root)
                    .await
                    .lang(l)?
                    .iter()
                    .map(named),
            );
        }
        6 => {
            for t in units::children(&st.app, a, &root).await.lang(l)? {
                out.push(named(&t));
                out.extend(
                    units::children(&st.app, a, &t.code)
                        .await
                        .lang(l)?
                        .iter()
                        .map(named),
                );
            }
        }
        _ => {}
    }
    Ok(out)
}

fn open_form(
    ctx: &Ctx,
    errors: &[FieldError],
    choices: &[(String, String)],
    unit: &str,
    period: &str,
) -> Markup {
    let l = ctx.lang;
    html! {
        h2 { (l.t("开启评定轮次", "Open a round")) }
        form method="post" action="/credit" {
            (csrf(ctx))
            (crate::layout::form_alert(l, errors))
            @if choices.is_empty() {
                (field(l.t("单位代码（村或乡镇）", "Unit code (village or township)"), "unit", unit, errors, true))
            } @else {
                div { label for="unit" { (l.t("评定范围（村或乡镇）", "Over (village or township)")) " *" }
                    select id="unit" name="unit" required { @for (code, name) in choices { option value=(code) selected[code == unit] { (name) } } }
                    @for e in errors.iter().filter(|e| e.field == "unit") { div class="field-error" { (e.message) } } }
            }
            (field(l.t("评定期间", "Period"), "period", period, errors, true))
            div { label for="rules" { (l.t("评分细则（TOML，留空用默认 66 项）", "Rule set (TOML; empty = default 66 items)")) }
                  textarea id="rules" name="rules" rows="3" {} }
            @for e in errors.iter().filter(|e| e.field == "rules" || e.field == "form") { p class="field-error" { (e.message) } }
            button type="submit" { (l.t("开启", "Open")) }
        }
    }
}

pub async fn index(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let list = rounds::list(&st.app, &ctx.actor).await.lang(l)?;
    let root = ctx.actor.scope.root.clone();
    let summary = app::credit::bank::summary(&st.app, &ctx.actor, "")
        .await
        .lang(l)?;
    let lines = app::credit::bank::by_village(&st.app, &ctx.actor, "")
        .await
        .lang(l)?;
    let choices = if ctx.actor.role.can(Permission::EditCredit) {
        round_units(&st, &ctx).await?
    } else {
        Vec::new()
    };
    let body = html! {
        p {
            a href="/credit/shop" { (l.t("信用超市", "Credit supermarket")) } " · "
            @if ctx.actor.role.can(Permission::GrantCredit) { a href="/credit/bank" { (l.t("银行授信", "Bank credit lines")) } " · " }
            @if root.len() == 12 { a href={ "/public/villages/" (root) "/credit" } { (l.t("本村公示页", "Village public page")) } " (" a href={ "/public/villages/" (root) "/credit/qr.svg" } { (l.t("二维码，可打印张贴", "QR code to print and post")) } ") · " }
            @if ctx.actor.role.can(Permission::EditCredit) && !root.is_empty() && root.len() <= 12 {
                a href={ "/api/v1/units/" (root) "/credit/aaa" } { (l.t("导出AAA级信用户名单", "Export AAA households (CSV)")) } " ("
                a href={ "/credit/units/" (root) "/aaa" } { (l.t("打印", "print")) } ") · "
            }
            a href="/credit/rules/default.toml" { (l.t("默认评分细则（66项）", "Default rule set (66 items)")) }
        }
        h2 { (l.t("终评结果", "Final grades")) }
        p {
            (l.t("农户 ", "Households ")) (summary.households) " · " (l.t("已定级 ", "rated ")) (summary.rated)
            " · AAA " (summary.by_grade.aaa) " · AA " (summary.by_grade.aa) " · A " (summary.by_grade.a) " · B " (summary.by_grade.b)
            " · " (l.t("A级及以上占比 ", "A or above ")) (format!("{:.1}%", summary.a_or_above_pct()))
        }
        @if !lines.is_empty() {
            h2 { (l.t("银行授信（按村）", "Credit lines by village")) }
            div class="scroll" { table class="cards" {
                thead { tr { th { (l.t("村", "Village")) } th { (l.t("授信户数", "Households")) } th { (l.t("金额（元）", "Amount (yuan)")) } } }
                tbody { @for v in &lines { tr { td data-label=(l.t("村", "Village")) { (v.village_name) " " small { (v.village_code) } } td data-label=(l.t("授信户数", "Households")) { (v.households) } td data-label=(l.t("金额（元）", "Amount (yuan)")) { (super::fen(v.amount_fen)) } } } }
            } }
        }
        h2 { (l.t("评定轮次", "Assessment rounds")) }
        div class="scroll" {
            table class="cards" {
                thead { tr { th { "#" } th { (l.t("单位", "Unit")) } th { (l.t("期间", "Period")) } th { (l.t("步骤", "Step")) } } }
                tbody {
                    @for r in &list {
                        tr { td data-label=("#") { a href={ "/credit/rounds/" (r.id) } { (r.id) } } td data-label=(l.t("单位", "Unit")) { (r.unit_code) } td data-label=(l.t("期间", "Period")) { (r.period) } td data-label=(l.t("步骤", "Step")) { (stage_label(l, &r.stage)) } }
                    }
                }
            }
        }
        @if ctx.actor.role.can(Permission::EditCredit) && root.len() <= 12 { (open_form(&ctx, &[], &choices, &root, "")) }
    };
    Ok(page(
        &ctx,
        l.t("信用村评定", "Credit village"),
        q.flash.as_deref(),
        body,
    )
    .into_response())
}

pub async fn open(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let f = form.csrf(&ctx)?;
    let l = ctx.lang;
    let rules = f.get("rules");
    let rules = Some(rules.as_str()).filter(|r| !r.trim().is_empty());
    match rounds::open(&st.app, &ctx.actor, &f.get("unit"), &f.get("period"), rules).await {
        Ok(id) => Ok(redirect(
            &format!("/credit/rounds/{id}"),
            Flash::RoundOpened,
        )),
        Err(e) => {
            let (status, errors) = crate::pages::forms::refusal(e, l)?;
            let choices = round_units(&st, &ctx).await?;
            Ok((
                status,
                page(
                    &ctx,
                    l.t("信用村评定", "Credit village"),
                    None,
                    open_form(&ctx, &errors, &choices, &f.get("unit"), &f.get("period")),
                ),
            )
                .into_response())
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct RoundQuery {
    flash: Option<String>,
    q: Option<String>,
    /// Page of the households' results table.
    page: Option<i64>,
}

/// Results shown per page: a township round has tens of thousands of households.
const RESULTS_PER_PAGE: i64 = 50;

pub async fn round_page(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<RoundQuery>,
) -> PageResult {
    let l = ctx.lang;
    let a = &ctx.actor;
    let round = rounds::get(&st.app, a, id).await.lang(l)?;
    let assess::RoundOverview { villages, results } =
        assess::overview(&st.app, a, id, q.page.unwrap_or(1), RESULTS_PER_PAGE)
            .await
            .lang(l)?;
    // Households to file and record for (a grid member sees their grids).
    let area = if a.can_see(&round.unit_code) {
        round.unit_code.clone()
    } else {
        a.scope.root.clone()
    };
    let text = q.q.clone().unwrap_or_default();
    // The pager keeps the search of the recording list below.
    let results_base = if text.is_empty() {
        format!("/credit/rounds/{id}")
    } else {
        let enc: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
        format!("/credit/rounds/{id}?q={enc}")
    };
    let bank = a.role == domain::access::Role::BankOfficer;
    // The households to record for are shown only while records are taken: read them only then.
    let recording = !bank && matches!(round.stage.as_str(), "filing" | "assessed");
    let (to_record, search_error) = if recording {
        crate::pages::registry::households::list_or_refusal(
            &st,
            &ctx,
            &area,
            Some(text.as_str()),
            None,
            1,
            50,
        )
        .await?
    } else {
        (
            app::registry::households::Page {
                items: Vec::new(),
                total: 0,
                page: 1,
                per_page: 50,
            },
            None,
        )
    };
    let steps = ["filing", "assessed", "publicity", "final"];
    let can_run = a.role.can(Permission::EditCredit) && a.can_see(&round.unit_code);
    let finalize_check = if can_run && round.stage == "publicity" {
        Some(
            rounds::finalize_refusal(&st.app, a, id, app::credit::today(), l.is_zh())
                .await
                .lang(l)?,
        )
    } else {
        None
    };
    // Only pending records stand in the way: offer to finalize leaving them out, saying so.
    let drop_offer = finalize_check
        .as_ref()
        .filter(|c| c.blocked.is_none() && c.pending > 0)
        .map(|c| c.pending);
    let crumbs = super::crumbs(&st, &ctx, Some(&round), &[]).await;
    let body = html! {
        (crumbs)
        p { (l.t("期间：", "Period: ")) (round.period) " · " (l.t("细则：", "Rules: ")) (round.rules_name)
            " · " (l.t("单位：", "Unit: ")) (round.unit_code) }
        @if let Some(last) = &round.publicity_last_day { p { (l.t("公示至 ", "Publicity until ")) (last) } }
        div class="scroll" {
            table class="cards" {
                thead { tr { th { (l.t("村", "Village")) } @for s in steps { th { (stage_label(l, s)) } } th { (l.t("户数", "Households")) } th { (l.t("已建档", "Filed")) } th { (l.t("记录", "Records")) } th { (l.t("已评", "Assessed")) } th { (l.t("待处理异议", "Open objections")) } } }
                tbody {
                    @for v in &villages {
                        @let pos = steps.iter().position(|s| *s == round.stage).unwrap_or(0);
                        tr {
                            td data-label=(l.t("村", "Village")) { a href={ "/public/villages/" (v.village_code) "/credit" } { (v.village_name) } }
                            @for (i, s) in steps.iter().enumerate() {
                                td data-label=(stage_label(l, s)) { @if i < pos { "✔" } @else if i == pos { strong { "●" } } @else { "○" } }
                            }
                            td data-label=(l.t("户数", "Households")) { (v.households) } td data-label=(l.t("已建档", "Filed")) { (v.filed) } td data-label=(l.t("记录", "Records")) { (v.records) } td data-label=(l.t("已评", "Assessed")) { (v.assessed) } td data-label=(l.t("待处理异议", "Open objections")) { (v.open_objections) }
                        }
                    }
                }
            }
        }
        @if can_run {
            form method="post" action={ "/credit/rounds/" (id) "/step" } {
                (csrf(&ctx))
                @match round.stage.as_str() {
                    "filing" | "assessed" => { input type="hidden" name="step" value="assess"; button type="submit" { (l.t("运行系统初评", "Run the preliminary assessment")) } }
                    "publicity" => {
                        @let why = finalize_check.as_ref().and_then(|c| c.blocked.clone().or(c.pending_message.clone()));
                        input type="hidden" name="step" value="finalize";
                        button type="submit" disabled[why.is_some()] aria-describedby=[why.as_ref().map(|_| "finalize-why")] { (l.t("终评定级", "Finalize")) }
                        @if let Some(why) = &why { p class="muted" id="finalize-why" { (why) } }
                    }
                    _ => {}
                }
            }
            @if let Some(n) = drop_offer {
                form method="post" action={ "/credit/rounds/" (id) "/step" } {
                    (csrf(&ctx))
                    input type="hidden" name="step" value="finalize";
                    input type="hidden" name="drop_pending" value="1";
                    button type="submit" class="secondary" { (l.t("不计这些待复核记录，终评定级（", "Finalize leaving out the pending records (")) (n) (l.t(" 条）", ")")) }
                }
            }
            @if round.stage == "assessed" {
                form method="post" action={ "/credit/rounds/" (id) "/step" } {
                    (csrf(&ctx))
                    input type="hidden" name="step" value="publish";
                    label for="days" { (l.t("公示天数", "Publicity days")) }
                    input id="days" name="days" value="7" inputmode="numeric";
                    button type="submit" { (l.t("开始公示", "Start publicity")) }
                }
            }
        }
        p { a href={ "/credit/rounds/" (id) "/objections" } { (l.t("异议处理", "Objections")) } }
        h2 { (l.t("各户结果", "Households")) }
        div class="scroll" {
            table class="cards" {
                thead { tr { th { (l.t("户号", "No.")) } th { (l.t("户主", "Head")) } th { (l.t("得分", "Score")) } th { (l.t("等级", "Grade")) } } }
                tbody {
                    @for r in &results.items {
                        tr {
                            // Banks see the grade, not the records behind it.
                            td data-label=(l.t("户号", "No.")) { @if bank { (r.household_no) } @else { a href={ "/credit/rounds/" (id) "/households/" (r.household_id) } { (r.household_no) } } }
                            td data-label=(l.t("户主", "Head")) { (r.head_name) } td data-label=(l.t("得分", "Score")) { (r.score) } td data-label=(l.t("等级", "Grade")) { (r.grade) }
                        }
                    }
                }
            }
        }
        @if results.total > results.per_page {
            (pager(l, &results_base, results.page, results.per_page, results.total))
        }
        @if recording {
            h2 { (l.t("采集信息、记录事项", "File information and record events")) }
            form method="get" action={ "/credit/rounds/" (id) } {
                input name="q" value=(text) placeholder=(l.t("户号、姓名、地址", "number, name, address")) aria-label=(l.t("搜索", "Search"));
                button type="submit" { (l.t("搜索", "Search")) }
            }
            @if let Some(e) = &search_error { p class="error" role="alert" { (e) } }
            ul {
                @for h in &to_record.items {
                    li { a href={ "/credit/rounds/" (id) "/households/" (h.id) } { (h.household_no) " " (h.head_name) } " · "
                         a href={ "/credit/households/" (h.id) "/profile" } { (l.t("建档", "filing")) } }
                }
            }
            @if to_record.total > 50 { p { (l.t("仅显示前 50 户，请搜索。", "First 50 shown; search to find others.")) } }
        }
    };
    let title = format!("{} #{}", l.t("评定轮次", "Round"), id);
    Ok(page(&ctx, &title, q.flash.as_deref(), body).into_response())
}

/// The shipped default rule set, to download, edit and load into a round.
pub async fn default_rules() -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        domain::credit::DEFAULT_RULES_TOML,
    )
}

pub async fn step(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let l = ctx.lang;
    let today = app::credit::today();
    let (res, flash) = match f.get("step").as_str() {
        "assess" => (
            assess::assess(&st.app, &ctx.actor, id, today)
                .await
                .map(|_| ()),
            Flash::RoundAssessed,
        ),
        "publish" => {
            let days = f.get("days").trim().parse::<u32>().ok();
            (
                rounds::publish(&st.app, &ctx.actor, id, days, today)
                    .await
                    .map(|_| ()),
                Flash::RoundPublished,
            )
        }
        "finalize" => (
            rounds::finalize(&st.app, &ctx.actor, id, today, f.get("drop_pending") == "1")
                .await
                .map(|_| ()),
            Flash::RoundFinal,
        ),
        _ => (
            Err(AppError::BadRequest(
                domain::message::catalogue::UNKNOWN_STEP.text(),
            )),
            Flash::Saved,
        ),
    };
    res.lang(l)?;
    Ok(redirect(&format!("/credit/rounds/{id}"), flash))
}
