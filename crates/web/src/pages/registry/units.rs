//! The administrative tree, and the grids of a village.

use crate::ctx::Ctx;
use crate::error::{PageResult, WithLang};
use crate::layout::{csrf, page};
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::registry::{grids, households, units};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use domain::access::Permission;
use maud::{html, Markup};

pub async fn tree_root(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let tops = units::top(&st.app, &ctx.actor).await.lang(ctx.lang)?;
    if let [only] = tops.as_slice() {
        return Ok(Redirect::to(&format!("/units/{}", only.code)).into_response());
    }
    let l = ctx.lang;
    let body = html! { ul { @for u in &tops { li { a href={ "/units/" (u.code) } { (u.name) } " " span class="muted" { (u.code) } } } } };
    Ok(page(&ctx, l.t("行政区划", "Units"), None, body).into_response())
}

pub fn crumbs(trail: &[units::Unit]) -> Markup {
    crumbs_with(&[], trail, &[])
}

/// A step of a breadcrumb trail: its label and link (`None`: the page itself, not a link).
pub type Crumb = (String, Option<String>);

/// The trail of units (each to its page) between other programs' steps, e.g. the credit home
/// before and a round and a household after.
pub fn crumbs_with(before: &[Crumb], trail: &[units::Unit], after: &[Crumb]) -> Markup {
    let units: Vec<Crumb> = trail
        .iter()
        .map(|u| (u.name.clone(), Some(format!("/units/{}", u.code))))
        .collect();
    let steps: Vec<&Crumb> = before.iter().chain(&units).chain(after).collect();
    html! {
        div class="crumbs" role="navigation" aria-label="breadcrumb" {
            @for (i, (label, href)) in steps.iter().map(|c| (&c.0, &c.1)).enumerate() {
                @if i > 0 { " › " }
                @match href { Some(h) => a href=(h) { (label) }, None => span aria-current="page" { (label) } }
            }
        }
    }
}

pub async fn unit_page(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let l = ctx.lang;
    let a = &ctx.actor;
    let unit = units::get(&st.app, a, &code).await.lang(l)?;
    let trail = units::breadcrumb(&st.app, a, &code).await.lang(l)?;
    let children = units::children(&st.app, a, &code).await.lang(l)?;
    let counts = units::counts(&st.app, a, &code).await.lang(l)?;
    let is_village = unit.level == "village";
    let is_grid = matches!(unit.level.as_str(), "grid" | "micro_grid");
    let grid_list = if is_village {
        grids::of_village(&st.app, a, &code).await.lang(l)?
    } else {
        Vec::new()
    };
    let can_grid = a.role.can(Permission::ManageGrids);
    let members = if is_grid {
        Some(
            households::list(&st.app, a, &code, None, None, 1, 200)
                .await
                .lang(l)?,
        )
    } else {
        None
    };
    let body = html! {
        (crumbs(&trail))
        p class="muted" { (l.level(&unit.level)) " · " (unit.code)
            @if !unit.leader.is_empty() { " · " (l.t("联系党员：", "Party member: ")) (unit.leader) } }
        div class="stats" {
            @for (level, n) in &counts.by_level { div class="stat" { span { (l.level(level)) } b { (n) } } }
            div class="stat" { span { (l.t("户数", "Households")) } b { (counts.households) } }
            div class="stat" { span { (l.t("人口", "People")) } b { (counts.members) } }
        }
        p { a class="button secondary" href={ "/households?unit=" (unit.code) } { (l.t("查看户籍档案", "Household files")) } }
        @if a.role != domain::access::Role::BankOfficer && !is_grid { p { a class="button secondary" href=(if is_village { format!("/villages/{}/ledger", unit.code) } else { format!("/units/{}/ledger", unit.code) }) { (l.t("“三资”台账", "Collective ledgers")) } } }
        @if is_village {
            h2 { (l.t("网格与微网格", "Grids and micro-grids")) }
            div class="scroll" { table {
                thead { tr { th { (l.t("名称", "Name")) } th { (l.t("层级", "Level")) } th { (l.t("联系党员", "Party member")) } th { (l.t("户数", "Households")) } th {} th { (l.t("代码", "Code")) } } }
                tbody { @for g in &grid_list { tr {
                    td { a href={ "/units/" (g.unit.code) } { (g.unit.name) } } td { (l.level(&g.unit.level)) } td { (g.unit.leader) } td { (g.households) }
                    td { @if let Some(w) = &g.size_note { span class="warn" { "⚠ " (w.pick(l.is_zh())) } } }
                    td class="muted" { (g.unit.code) }
                } } }
            } }
            @if can_grid { (grid_form(&ctx, &unit.code, l.t("新建网格", "New grid"))) }
        } @else if unit.level == "grid" && can_grid {
            (grid_form(&ctx, &unit.code, l.t("新建微网格", "New micro-grid")))
        }
        @if is_grid && can_grid {
            details { summary { (l.t("修改名称与联系党员", "Edit name and party member")) }
                form method="post" action={ "/units/" (unit.code) "/grid" } { (csrf(&ctx))
                    div class="row" {
                        div { label for="gname" { (l.t("名称", "Name")) } input id="gname" name="name" value=(unit.name) required; }
                        div { label for="gleader" { (l.t("联系党员", "Party member")) } input id="gleader" name="leader" value=(unit.leader); }
                        div { button type="submit" { (l.t("保存", "Save")) } }
                    }
                }
            }
        }
        @if let Some(list) = &members {
            h2 { (l.t("本网格农户", "Households in this grid")) " (" (list.total) ")" }
            ul { @for h in &list.items { li { a href={ "/households/" (h.id) } { (h.household_no) " " (h.head_name) } } } }
        }
        @if !children.is_empty() && !is_village {
            h2 { (l.t("下级单位", "Units below")) }
            ul { @for c in &children { li { a href={ "/units/" (c.code) } { (c.name) } " " span class="muted" { (c.code) } } } }
        }
    };
    Ok(page(&ctx, &unit.name, q.flash.as_deref(), body).into_response())
}

fn grid_form(ctx: &Ctx, parent: &str, title: &str) -> Markup {
    let l = ctx.lang;
    html! {
        h2 { (title) }
        form method="post" action={ "/units/" (parent) "/grids" } { (csrf(ctx))
            div class="row" {
                div { label for="name" { (l.t("名称", "Name")) " *" } input id="name" name="name" required placeholder=(l.t("如：第一网格", "e.g. Grid 1")); }
                div { label for="leader" { (l.t("联系党员", "Party member")) } input id="leader" name="leader"; }
                div { button type="submit" { (l.t("创建", "Create")) } }
            }
        }
    }
}

pub async fn create_grid(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    grids::create(&st.app, &ctx.actor, &code, &f.get("name"), &f.get("leader"))
        .await
        .lang(ctx.lang)?;
    Ok(redirect(&format!("/units/{code}"), Flash::GridCreated))
}

pub async fn update_grid(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    grids::update(&st.app, &ctx.actor, &code, &f.get("name"), &f.get("leader"))
        .await
        .lang(ctx.lang)?;
    Ok(redirect(&format!("/units/{code}"), Flash::Saved))
}

/// Assigns the checked households of a list to a grid (or none).
pub async fn assign(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    form: RawForm,
) -> PageResult {
    let f = form.csrf(&ctx)?;
    let ids: Vec<i64> = crate::pages::forms::CsrfForm::all(&form.0, "household")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let grid = f.get("grid");
    let grid = (!grid.is_empty()).then_some(grid.as_str());
    grids::assign(&st.app, &ctx.actor, grid, &ids)
        .await
        .lang(ctx.lang)?;
    Ok(redirect(
        &format!("/households?unit={code}"),
        Flash::Assigned,
    ))
}
