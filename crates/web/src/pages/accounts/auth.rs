//! Logging in and out, switching language.

use crate::ctx::{cookie_name, Ctx, Public, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::{PageError, PageResult};
use crate::i18n::Lang;
use crate::pages::forms::PageQuery;
use crate::pages::forms::{check_csrf, RawForm};
use crate::AppState;
use app::AppError;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, PreEscaped, DOCTYPE};
use rand::RngCore;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only same-site paths, so a crafted link cannot send a user elsewhere after login.
fn safe_next(next: Option<&str>) -> String {
    domain::redirect::same_site_path(next.unwrap_or("/"))
}

/// A cookie for the whole site: `__Host-` name, Secure, Path=/ and no Domain when cookies are
/// Secure (see [`cookie_name`]).
fn cookie(st: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    let name = cookie_name(st, name);
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn login_html(l: Lang, csrf: &str, next: &str, error: Option<&str>, username: &str) -> String {
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8"; meta name="viewport" content="width=device-width, initial-scale=1";
                title { (l.t("登录 · 基层治理平台", "Log in · grassroots")) }
                style { (PreEscaped(crate::layout::CSS)) }
            }
            body {
                header { span class="brand" { (l.t("基层治理平台", "grassroots")) }
                    a href={ "/lang?to=" (if l.is_zh() { "en" } else { "zh" }) "&back=/login" } { (if l.is_zh() { "English" } else { "中文" }) } }
                main class="narrow" { div class="card" {
                    h1 { (l.t("登录", "Log in")) }
                    @if let Some(e) = error { p class="error" role="alert" { (e) } }
                    form method="post" action="/login" {
                        input type="hidden" name="_csrf" value=(csrf);
                        input type="hidden" name="next" value=(next);
                        label for="username" { (l.t("用户名", "Username")) }
                        input id="username" name="username" value=(username) autocomplete="username" required autofocus;
                        label for="password" { (l.t("密码", "Password")) }
                        input id="password" name="password" type="password" autocomplete="current-password" required;
                        p { button type="submit" { (l.t("登录", "Log in")) } }
                    }
                } }
            }
        }
    }
    .into_string()
}

fn new_token() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub async fn login_page(
    State(st): State<AppState>,
    p: Public,
    PageQuery(q): PageQuery<NextQuery>,
) -> Response {
    let csrf = p
        .login_csrf
        .clone()
        .filter(|c| c.len() == 32)
        .unwrap_or_else(new_token);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        cookie(&st, LOGIN_CSRF_COOKIE, &csrf, 3600),
    );
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    (
        headers,
        login_html(p.lang, &csrf, &safe_next(q.next.as_deref()), None, ""),
    )
        .into_response()
}

pub async fn login(State(st): State<AppState>, p: Public, form: RawForm) -> Response {
    let f = form.map();
    let l = p.lang;
    let next = safe_next(Some(&f.get("next")));
    let username = f.get("username");
    let csrf = p.login_csrf.clone().unwrap_or_default();
    let refuse = |status: StatusCode, msg: &str| {
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            login_html(l, &csrf, &next, Some(msg), &username),
        )
            .into_response()
    };
    if !crate::ctx::csrf_ok(&csrf, &f.get("_csrf")) {
        return refuse(
            StatusCode::FORBIDDEN,
            l.t(
                "表单已过期，请重新登录。",
                "The form expired; please try again.",
            ),
        );
    }
    match app::accounts::login(&st.app, &username, &f.get("password"), &p.ip).await {
        Ok(s) => {
            let mut headers = HeaderMap::new();
            headers.append(
                header::SET_COOKIE,
                cookie(
                    &st,
                    SESSION_COOKIE,
                    &s.token,
                    st.app.config.session_hours * 3600,
                ),
            );
            headers.append(header::SET_COOKIE, cookie(&st, LOGIN_CSRF_COOKIE, "", 0));
            (headers, Redirect::to(&next)).into_response()
        }
        Err(AppError::Unauthenticated) => refuse(
            StatusCode::UNAUTHORIZED,
            l.t("用户名或密码错误。", "Wrong username or password."),
        ),
        Err(AppError::Throttled(secs)) => {
            let msg = if l.is_zh() {
                format!("登录失败次数过多，请 {secs} 秒后再试。")
            } else {
                format!("Too many failed logins; try again in {secs} seconds.")
            };
            let mut res = refuse(StatusCode::TOO_MANY_REQUESTS, &msg);
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
            res
        }
        Err(e) => PageError::new(e, l).into_response(),
    }
}

pub async fn logout(State(st): State<AppState>, ctx: Ctx, form: RawForm) -> PageResult {
    check_csrf(&ctx, &form.map().get("_csrf"))?;
    app::accounts::logout(&st.app, &ctx.actor, &ctx.token)
        .await
        .map_err(|e| PageError::new(e, ctx.lang))?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, cookie(&st, SESSION_COOKIE, "", 0));
    Ok((headers, Redirect::to("/login")).into_response())
}

#[derive(Deserialize)]
pub struct LangQuery {
    to: String,
    back: Option<String>,
}

pub async fn switch_lang(
    State(st): State<AppState>,
    PageQuery(q): PageQuery<LangQuery>,
) -> Response {
    let v = if q.to == "en" { "en" } else { "zh" };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        cookie(&st, LANG_COOKIE, v, 365 * 24 * 3600),
    );
    (headers, Redirect::to(&safe_next(q.back.as_deref()))).into_response()
}

pub async fn health() -> &'static str {
    "ok"
}
