//! The public objection form, on its own page so the list page stays the same bytes for every
//! visitor: it carries a per-visitor CSRF token (a cookie, as the login page) and is never
//! cached. `?household=` fills in the household number from the list's per-row link.

use super::public::{encode, shell, title};
use crate::ctx::{client_ip, cookie, csrf_ok, lang_of};
use crate::error::PageError;
use crate::i18n::Lang;
use crate::pages::forms::RawForm;
use crate::AppState;
use app::AppError;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::registry::FieldError;
use maud::html;
use rand::RngCore;
use serde::Deserialize;

pub const PUBLIC_CSRF_COOKIE: &str = "gr_public_csrf";

pub struct Visitor {
    pub(crate) lang: Lang,
    pub(crate) ip: String,
    pub(crate) csrf: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Visitor {
            lang: lang_of(parts),
            ip: client_ip(parts),
            csrf: cookie(parts, PUBLIC_CSRF_COOKIE).map(str::to_string),
        })
    }
}

pub(crate) fn new_token() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

#[derive(Deserialize, Default)]
pub struct Prefill {
    household: Option<String>,
}

async fn render(
    st: &AppState,
    l: Lang,
    code: &str,
    csrf: &str,
    errors: &[FieldError],
    values: &[(&str, String)],
) -> Result<String, AppError> {
    let (village_name, round) = app::credit::public_page::village_and_round(&st.app, code).await?;
    let value = |k: &str| {
        values
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let err = |k: &str| -> maud::Markup {
        html! { @for e in errors.iter().filter(|e| e.field == k) { div class="field-error" { (e.message) } } }
    };
    let title = title(l, &village_name);
    let back = format!("/public/villages/{}/credit", encode(code));
    let body = html! {
        h1 { (title) }
        p { a href=(back) { "← " (l.t("返回公示名单", "Back to the list")) } }
        @if round.is_none() {
            p { (l.t("本村目前没有正在公示的信用评定。", "No credit assessment is in publicity in this village now.")) }
        } @else {
            h2 { (l.t("提出异议", "File an objection")) }
            p { (l.t("任何村民均可在公示期内提出，评议小组逐条答复；您的姓名和联系方式不公开。",
                    "Any villager may object during publicity; the review group answers every objection. Your name and contact are not published.")) }
            form method="post" action={ (back) "/objections" } {
                input type="hidden" name="_csrf" value=(csrf);
                div { label for="household_no" { (l.t("户号", "Household no.")) " *" }
                      input id="household_no" name="household_no" value=(value("household_no")) required; (err("household_no")) }
                div { label for="name" { (l.t("您的姓名", "Your name")) " *" }
                      input id="name" name="name" value=(value("name")) required; (err("name")) }
                div { label for="contact" { (l.t("联系方式", "Contact")) " *" }
                      input id="contact" name="contact" type="tel" value=(value("contact")) required; (err("contact")) }
                div { label for="reason" { (l.t("异议理由", "Reason")) " *" }
                      textarea id="reason" name="reason" required { (value("reason")) } (err("reason")) }
                @for e in errors.iter().filter(|e| !["household_no", "name", "contact", "reason"].contains(&e.field)) {
                    p class="field-error" { (e.message) }
                }
                button type="submit" { (l.t("提交异议", "Submit")) }
            }
        }
    };
    Ok(shell(l, &title, body))
}

pub(crate) fn html_response(
    status: StatusCode,
    csrf: Option<(&AppState, &str)>,
    body: String,
) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Some((st, token)) = csrf {
        let secure = if st.secure_cookies { "; Secure" } else { "" };
        let v = format!("{PUBLIC_CSRF_COOKIE}={token}; Path=/public; HttpOnly; SameSite=Lax; Max-Age=3600{secure}");
        if let Ok(v) = HeaderValue::from_str(&v) {
            headers.insert(header::SET_COOKIE, v);
        }
    }
    (status, headers, body).into_response()
}

/// Errors take the statuses of `crate::error` (the one mapping); only the form's own
/// refusals are shown on the form.
fn error_response(l: Lang, e: AppError) -> Response {
    PageError::new(e, l).into_response()
}

/// GET `/public/villages/{code}/credit/objection`: the form, with a CSRF cookie.
pub async fn form(
    State(st): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Query(q): Query<Prefill>,
) -> Response {
    let token = v
        .csrf
        .clone()
        .filter(|c| c.len() == 32)
        .unwrap_or_else(new_token);
    let values = vec![("household_no", q.household.unwrap_or_default())];
    match render(&st, v.lang, &code, &token, &[], &values).await {
        Ok(body) => html_response(StatusCode::OK, Some((&st, &token)), body),
        Err(e) => error_response(v.lang, e),
    }
}

/// POST `/public/villages/{code}/credit/objections`: files the objection and goes back to the
/// list with a message, or shows the form again with what was typed.
pub async fn object(
    State(st): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    form: RawForm,
) -> Response {
    let f = form.map();
    let l = v.lang;
    let expected = v.csrf.clone().unwrap_or_default();
    if !csrf_ok(&expected, &f.get("_csrf")) {
        return error_response(
            l,
            AppError::Forbidden(
                l.t(
                    "表单已过期，请刷新页面后重试。",
                    "The form expired; reload the page and try again.",
                )
                .into(),
            ),
        );
    }
    let input = app::credit::objections::ObjectionInput {
        household_no: f.get("household_no"),
        name: f.get("name"),
        contact: f.get("contact"),
        reason: f.get("reason"),
    };
    match app::credit::objections::raise_public(&st.app, &code, &input, &v.ip, app::credit::today())
        .await
    {
        Ok(_) => {
            axum::response::Redirect::to(&format!("/public/villages/{code}/credit?flash=objection"))
                .into_response()
        }
        Err(e) => {
            let errors = match &e {
                AppError::Invalid(errs) => errs.clone(),
                AppError::Throttled(_) => vec![FieldError::new(
                    "form",
                    l.t(
                        "本网络提交的异议过多，请一小时后再试，或直接向村评议小组反映。",
                        "Too many objections from this network; try again in an hour or tell the village review group.",
                    ),
                )],
                other => vec![FieldError::new("form", crate::error::message_of(other))],
            };
            // The status the error has everywhere else (409 conflict, 429 throttled…); the
            // form comes back with the message unless the village or the server failed.
            let plain = error_response(l, e);
            let status = plain.status();
            if status == StatusCode::NOT_FOUND || status.is_server_error() {
                return plain;
            }
            let values = vec![
                ("household_no", input.household_no.clone()),
                ("name", input.name.clone()),
                ("contact", input.contact.clone()),
                ("reason", input.reason.clone()),
            ];
            match render(&st, l, &code, &expected, &errors, &values).await {
                Ok(body) => html_response(status, None, body),
                Err(e) => error_response(l, e),
            }
        }
    }
}
