//! The account page: who I am, my scope, my API tokens (revoke), change my password.

use crate::ctx::Ctx;
use crate::error::{PageError, PageResult};
use crate::layout::{csrf, field, page, page_with};
use crate::pages::forms::{redirect, Flash, FlashQuery, RawForm};
use crate::pages::forms::{PagePath, PageQuery};
use crate::AppState;
use app::accounts::TokenRow;
use app::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use domain::registry::FieldError;
use maud::{html, Markup};

/// `2026-03-01T08:00:00.000Z` → `2026-03-01 08:00` (UTC).
fn minute(t: &str) -> String {
    t.get(..16).unwrap_or(t).replace('T', " ")
}

fn tokens_table(ctx: &Ctx, tokens: &[TokenRow]) -> Markup {
    let l = ctx.lang;
    html! {
        h2 { (l.t("API 令牌", "API tokens")) }
        @if tokens.is_empty() {
            p { (l.t("没有 API 令牌。", "No API tokens.")) }
        } @else {
            div class="scroll" { table {
                thead { tr {
                    th { (l.t("名称", "Name")) } th { (l.t("创建", "Created")) }
                    th { (l.t("到期（UTC）", "Expires (UTC)")) } th { (l.t("最近使用", "Last used")) } th {}
                } }
                tbody { @for t in tokens { tr {
                    td { (t.name) } td { (minute(&t.created_at)) }
                    td { (t.expires_at.as_deref().map(minute).unwrap_or_default()) }
                    td { (t.last_used_at.as_deref().map(minute).unwrap_or_else(|| "—".into())) }
                    td { form method="post" action={ "/account/tokens/" (t.id) "/revoke" } { (csrf(ctx))
                        button type="submit" { (l.t("吊销", "Revoke")) } } }
                } } }
            } }
        }
    }
}

fn body(ctx: &Ctx, tokens: &[TokenRow], errors: &[FieldError]) -> Markup {
    let l = ctx.lang;
    let a = &ctx.actor;
    html! {
        div class="card" {
            p { b { (l.t("用户名：", "Username: ")) } (a.username) }
            p { b { (l.t("角色：", "Role: ")) } (l.role(a.role)) }
            p { b { (l.t("管辖范围：", "Scope: ")) } @if a.scope.root.is_empty() { (l.t("全国", "Nationwide")) } @else { a href={ "/units/" (a.scope.root) } { (a.scope.root) } } }
        }
        (tokens_table(ctx, tokens))
        h2 { (l.t("修改密码", "Change password")) }
        form method="post" action="/account" { (csrf(ctx))
            (field(l.t("当前密码", "Current password"), "current", "", errors, true))
            (field(l.t("新密码（至少 12 位，不能是常见密码）", "New password (12+ characters, not a common one)"), "password", "", errors, true))
            p { button type="submit" { (l.t("修改", "Change")) } }
        }
    }
}

async fn my_tokens(st: &AppState, ctx: &Ctx) -> Result<Vec<TokenRow>, PageError> {
    app::accounts::list_tokens(&st.app, &ctx.actor, &ctx.actor.username)
        .await
        .map_err(|e| PageError::new(e, ctx.lang))
}

pub async fn account_page(
    State(st): State<AppState>,
    ctx: Ctx,
    PageQuery(q): PageQuery<FlashQuery>,
) -> PageResult {
    let tokens = my_tokens(&st, &ctx).await?;
    Ok(page(
        &ctx,
        ctx.lang.t("我的账号", "My account"),
        q.flash.as_deref(),
        body(&ctx, &tokens, &[]),
    )
    .into_response())
}

pub async fn revoke_token(
    State(st): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: RawForm,
) -> PageResult {
    form.csrf(&ctx)?;
    app::accounts::revoke_token(&st.app, &ctx.actor, id)
        .await
        .map_err(|e| PageError::new(e, ctx.lang))?;
    Ok(redirect("/account", Flash::TokenRevoked))
}

pub async fn change_password(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    let l = ctx.lang;
    let f = form.csrf(&ctx)?;
    let tokens = my_tokens(&st, &ctx).await?;
    let err = |errors: Vec<FieldError>| {
        Ok(page_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            l.t("我的账号", "My account"),
            body(&ctx, &tokens, &errors),
        ))
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
        Ok(()) => Ok(redirect("/account", Flash::Password)),
        Err(AppError::Invalid(errors)) => err(crate::i18n::localized(errors, ctx.lang)),
        Err(e) => Err(PageError::new(e, l)),
    }
}
