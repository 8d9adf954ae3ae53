//! Rounds: list and open; one round's page follows each village through the four steps.

use super::stage_label;
use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{csrf, field, page};
use crate::pages::forms::{redirect, FlashQuery, RawForm};
use crate::AppState;
use app::credit::{assess, rounds};
use app::AppError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::access::Permission;
use domain::registry::FieldError;
use maud::{html, Markup};

fn flash_text(l: crate::i18n::Lang, f: Option<&str>) -> Option<&'static str> {
    f.map(|f| match f {
        "opened" => l.t("评定轮次已开启。", "The round is open."),
        "assessed" => l.t("系统初评完成。", "Preliminary assessment done."),
        "published" => l.t("已开始公示。", "Publicity started."),
        "final" => l.t("终评完成，等级已锁定。", "Final: grades are locked."),
        _ => l.t("已保存。", "Saved."),
    })
}

fn open_form(ctx: &Ctx, errors: &[FieldError], unit: &str, period: &str) -> Markup {
    let l = ctx.lang;
    html! {
        h2 { (l.t("开启评定轮次", "Open a round")) }
        form method="post" action="/credit" {
            (csrf(ctx))
            (field(l.t("单位代码（村或乡镇）", "Unit code (village or township)"), "unit", unit, errors, true))
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
    Query(q): Query<FlashQuery>,
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
    let body = html! {
        p {
            a href="/credit/shop" { (l.t("信用超市", "Credit supermarket")) } " · "
            @if ctx.actor.role.can(Permission::GrantCredit) { a href="/credit/bank" { (l.t("银行授信", "Bank credit lines")) } " · " }
            @if root.len() == 12 { a href={ "/public/villages/" (root) "/credit" } { (l.t("本村公示页", "Village public page")) } " (" a href={ "/public/villages/" (root) "/credit/qr.svg" } { (l.t("二维码，可打印张贴", "QR code to print and post")) } ") · " }
            @if ctx.actor.role.can(Permission::EditCredit) && !root.is_empty() && root.len() <= 12 {
                a href={ "/api/v1/units/" (root) "/credit/aaa" } { (l.t("导出AAA级信用户名单", "Export AAA households (CSV)")) } " · "
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
            div class="scroll" { table {
                thead { tr { th { (l.t("村", "Village")) } th { (l.t("授信户数", "Households")) } th { (l.t("金额（元）", "Amount (yuan)")) } } }
                tbody { @for v in &lines { tr { td { (v.village_code) } td { (v.households) } td { (super::fen(v.amount_fen)) } } } }
            } }
        }
        h2 { (l.t("评定轮次", "Assessment rounds")) }
        div class="scroll" {
            table {
                thead { tr { th { "#" } th { (l.t("单位", "Unit")) } th { (l.t("期间", "Period")) } th { (l.t("步骤", "Step")) } } }
                tbody {
                    @for r in &list {
                        tr { td { a href={ "/credit/rounds/" (r.id) } { (r.id) } } td { (r.unit_code) } td { (r.period) } td { (stage_label(l, &r.stage)) } }
                    }
                }
            }
        }
        @if ctx.actor.role.can(Permission::EditCredit) && root.len() <= 12 { (open_form(&ctx, &[], &root, "")) }
    };
    Ok(page(
        &ctx,
        l.t("信用村评定", "Credit village"),
        flash_text(l, q.flash.as_deref()),
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
        Ok(id) => Ok(redirect(&format!("/credit/rounds/{id}"), "opened")),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &ctx,
                l.t("信用村评定", "Credit village"),
                None,
                open_form(&ctx, &errors, &f.get("unit"), &f.get("period")),
            ),
        )
            .into_response()),
        Err(e) => Err(e).lang(l),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct RoundQuery {
    flash: Option<String>,
    q: Option<String>,
}

pub async fn round_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<RoundQuery>,
) -> PageResult {
    let l = ctx.lang;
    let a = &ctx.actor;
    let round = rounds::get(&st.app, a, id).await.lang(l)?;
    let villages = rounds::progress(&st.app, a, id).await.lang(l)?;
    let results = assess::results(&st.app, a, id, "").await.lang(l)?;
    // Households to file and record for (a grid member sees their grids).
    let area = if a.can_see(&round.unit_code) {
        round.unit_code.clone()
    } else {
        a.scope.root.clone()
    };
    let text = q.q.clone().unwrap_or_default();
    let bank = a.role == domain::access::Role::BankOfficer;
    // The households to record for are shown only while records are taken: read them only then.
    let recording = !bank && matches!(round.stage.as_str(), "filing" | "assessed");
    let (to_record, search_error) = if recording {
        crate::pages::households::list_or_refusal(
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
    let body = html! {
        p { (l.t("期间：", "Period: ")) (round.period) " · " (l.t("细则：", "Rules: ")) (round.rules_name)
            " · " (l.t("单位：", "Unit: ")) (round.unit_code) }
        @if let Some(last) = &round.publicity_last_day { p { (l.t("公示至 ", "Publicity until ")) (last) } }
        div class="scroll" {
            table {
                thead { tr { th { (l.t("村", "Village")) } @for s in steps { th { (stage_label(l, s)) } } th { (l.t("户数", "Households")) } th { (l.t("已建档", "Filed")) } th { (l.t("记录", "Records")) } th { (l.t("已评", "Assessed")) } th { (l.t("待处理异议", "Open objections")) } } }
                tbody {
                    @for v in &villages {
                        @let pos = steps.iter().position(|s| *s == round.stage).unwrap_or(0);
                        tr {
                            td { a href={ "/public/villages/" (v.village_code) "/credit" } { (v.village_name) } }
                            @for (i, _) in steps.iter().enumerate() {
                                td { @if i < pos { "✔" } @else if i == pos { strong { "●" } } @else { "○" } }
                            }
                            td { (v.households) } td { (v.filed) } td { (v.records) } td { (v.assessed) } td { (v.open_objections) }
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
                    "publicity" => { input type="hidden" name="step" value="finalize"; button type="submit" { (l.t("终评定级", "Finalize")) } }
                    _ => {}
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
            table {
                thead { tr { th { (l.t("户号", "No.")) } th { (l.t("户主", "Head")) } th { (l.t("得分", "Score")) } th { (l.t("等级", "Grade")) } } }
                tbody {
                    @for r in &results {
                        tr {
                            // Banks see the grade, not the records behind it.
                            td { @if bank { (r.household_no) } @else { a href={ "/credit/rounds/" (id) "/households/" (r.household_id) } { (r.household_no) } } }
                            td { (r.head_name) } td { (r.score) } td { (r.grade) }
                        }
                    }
                }
            }
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
    Ok(page(&ctx, &title, flash_text(l, q.flash.as_deref()), body).into_response())
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
    Path(id): Path<i64>,
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
            "assessed",
        ),
        "publish" => {
            let days = f.get("days").trim().parse::<u32>().ok();
            (
                rounds::publish(&st.app, &ctx.actor, id, days, today)
                    .await
                    .map(|_| ()),
                "published",
            )
        }
        "finalize" => (
            rounds::finalize(&st.app, &ctx.actor, id, today)
                .await
                .map(|_| ()),
            "final",
        ),
        _ => (Err(AppError::BadRequest("unknown step".into())), ""),
    };
    res.lang(l)?;
    Ok(redirect(&format!("/credit/rounds/{id}"), flash))
}
