//! The account page: who I am, my scope, change my password.

use crate::ctx::Ctx;
use crate::error::{PageError, PageResult};
use crate::layout::{csrf, field, page};
use crate::pages::forms::{redirect, FlashQuery, RawForm};
use crate::AppState;
use app::AppError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::registry::FieldError;
use maud::{html, Markup};

fn body(ctx: &Ctx, errors: &[FieldError]) -> Markup {
    let l = ctx.lang;
    let a = &ctx.actor;
    html! {
        div class="card" {
            p { b { (l.t("用户名：", "Username: ")) } (a.username) }
            p { b { (l.t("角色：", "Role: ")) } (l.role(a.role)) }
            p { b { (l.t("管辖范围：", "Scope: ")) } @if a.scope.root.is_empty() { (l.t("全国", "Nationwide")) } @else { a href={ "/units/" (a.scope.root) } { (a.scope.root) } } }
        }
        h2 { (l.t("修改密码", "Change password")) }
        form method="post" action="/account" { (csrf(ctx))
            (field(l.t("当前密码", "Current password"), "current", "", errors, true))
            (field(l.t("新密码（至少 12 位，不能是常见密码）", "New password (12+ characters, not a common one)"), "password", "", errors, true))
            p { button type="submit" { (l.t("修改", "Change")) } }
        }
    }
}

pub async fn account_page(ctx: Ctx, Query(q): Query<FlashQuery>) -> PageResult {
    Ok(page(
        &ctx,
        ctx.lang.t("我的账号", "My account"),
        q.flash.as_deref(),
        body(&ctx, &[]),
    )
    .into_response())
}

pub async fn change_password(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let l = ctx.lang;
    let f = form.csrf(&ctx)?;
    let err = |errors: Vec<FieldError>| {
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &ctx,
                l.t("我的账号", "My account"),
                None,
                body(&ctx, &errors),
            ),
        )
            .into_response())
    };
    match app::accounts::change_own_password(
        &st.app,
        &ctx.actor,
        &f.get("current"),
        &f.get("password"),
        &ctx.token,
    )
    .await
    {
        Ok(()) => Ok(redirect("/account", "password")),
        Err(AppError::Invalid(errors)) => err(errors),
        Err(e) => Err(PageError::new(e, l)),
    }
}
