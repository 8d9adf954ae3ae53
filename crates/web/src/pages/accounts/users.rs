//! Accounts within the officer's subtree; administrators add accounts here too.

use crate::ctx::Ctx;
use crate::error::{PageError, PageResult, WithLang};
use crate::layout::{csrf, errors_not_shown, field, page};
use crate::pages::forms::PageQuery;
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::AppState;
use app::accounts::NewUser;
use app::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::access::{Permission, Role};
use domain::registry::FieldError;
use maud::{html, Markup};
use std::collections::HashMap;

fn add_form(ctx: &Ctx, v: &HashMap<String, String>, errors: &[FieldError]) -> Markup {
    let l = ctx.lang;
    let g = |k: &str| v.get(k).cloned().unwrap_or_default();
    html! {
        h2 { (l.t("新增账号", "Add an account")) }
        form method="post" action="/users" { (csrf(ctx))
            div class="row" {
                (field(l.t("用户名", "Username"), "username", &g("username"), errors, true))
                (field(l.t("姓名", "Display name"), "display_name", &g("display_name"), errors, true))
            }
            div class="row" {
                div { label for="role" { (l.t("角色", "Role")) }
                    select id="role" name="role" { @for r in Role::ALL { option value=(r.as_str()) selected[g("role") == r.as_str()] { (l.role(r)) } } } }
                (field(l.t("所属单位代码", "Unit code"), "unit", &g("unit"), errors, false))
                (field(l.t("初始密码（至少 12 位）", "Initial password (12+)"), "password", "", errors, true))
            }
            (errors_not_shown(l, errors, &["username", "display_name", "unit", "password"]))
            p { button type="submit" { (l.t("创建账号", "Create account")) } }
        }
    }
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    flash: Option<&str>,
    v: &HashMap<String, String>,
    errors: &[FieldError],
) -> Result<Markup, PageError> {
    let l = ctx.lang;
    let users = app::accounts::list_users(&st.app, &ctx.actor)
        .await
        .lang(l)?;
    let body = html! {
        div class="scroll" { table {
            thead { tr { th { (l.t("用户名", "Username")) } th { (l.t("姓名", "Name")) } th { (l.t("角色", "Role")) } th { (l.t("单位", "Unit")) } th { (l.t("状态", "Status")) } } }
            tbody { @for u in &users { tr {
                td { (u.username) } td { (u.display_name) }
                td { (Role::parse(&u.role).map(|r| l.role(r)).unwrap_or("?")) }
                td { @if let Some(c) = &u.unit_code { a href={ "/units/" (c) } { (c) } } @else { (l.t("全国", "Nationwide")) } }
                td { @if u.active { (l.t("启用", "active")) } @else { (l.t("停用", "disabled")) } }
            } } }
        } }
        @if ctx.actor.role.can(Permission::Administer) { (add_form(ctx, v, errors)) }
    };
    Ok(page(ctx, l.t("账号管理", "Accounts"), flash, body))
}

pub async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    Ok(render(&st, &ctx, q.flash.as_deref(), &HashMap::new(), &[])
        .await?
        .into_response())
}

pub async fn add(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let f = form.csrf(&ctx)?;
    let l = ctx.lang;
    let role = Role::parse(&f.get("role")).ok_or_else(|| {
        PageError::new(
            AppError::BadRequest(domain::message::catalogue::UNKNOWN_CHOICE.field(
                "role",
                &[
                    ("value", &f.get("role")),
                    ("known", &Role::ALL.map(Role::as_str).join(", ")),
                ],
            )),
            l,
        )
    })?;
    let unit = f.get("unit");
    let new = NewUser {
        username: f.get("username"),
        display_name: f.get("display_name"),
        password: f.get("password"),
        role,
        unit_code: (!unit.trim().is_empty()).then(|| unit.trim().to_string()),
    };
    match app::accounts::add_user(&st.app, &ctx.actor, new).await {
        Ok(_) => Ok(redirect("/users", Flash::Created)),
        Err(AppError::Invalid(errors)) => {
            let errors = crate::i18n::localized(errors, ctx.lang);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&st, &ctx, None, &f.0, &errors).await?,
            )
                .into_response())
        }
        Err(AppError::Conflict(m)) => Ok((
            StatusCode::CONFLICT,
            render(&st, &ctx, None, &f.0, &[FieldError::new("username", m)]).await?,
        )
            .into_response()),
        Err(e) => Err(PageError::new(e, l)),
    }
}
