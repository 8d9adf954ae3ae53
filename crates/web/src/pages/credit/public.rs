//! The village's public credit page, without login: during publicity, households with masked
//! names (张*明) and grades, and an objection form protected by a cookie CSRF token (as the
//! login page).

use crate::ctx::{client_ip, cookie, csrf_ok, lang_of};
use crate::error::PageError;
use crate::i18n::Lang;
use crate::layout::CSS;
use crate::pages::forms::RawForm;
use crate::AppState;
use app::AppError;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::registry::FieldError;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use rand::RngCore;
use serde::Deserialize;

pub const PUBLIC_CSRF_COOKIE: &str = "gr_public_csrf";

pub struct Visitor {
    lang: Lang,
    ip: String,
    csrf: Option<String>,
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

fn new_token() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

#[derive(Deserialize, Default)]
pub struct Flash {
    flash: Option<String>,
}

fn shell(l: Lang, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(l.t("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}

async fn render(
    st: &AppState,
    l: Lang,
    code: &str,
    csrf: &str,
    flash: Option<&str>,
    errors: &[FieldError],
    values: &[(&str, String)],
) -> Result<String, AppError> {
    let village = {
        let mut conn = st
            .app
            .db
            .pool
            .acquire()
            .await
            .map_err(store::StoreError::from)?;
        store::registry::units::get(&mut conn, code)
            .await?
            .filter(|u| u.level == "village")
            .ok_or_else(|| AppError::NotFound("village".into()))?
    };
    let list = app::credit::objections::public_list(&st.app, code).await?;
    let answers = match &list {
        Some((round, _)) => {
            app::credit::objections::public_answers(&st.app, round.id, code).await?
        }
        None => Vec::new(),
    };
    let value = |k: &str| {
        values
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let err = |k: &str| -> Markup {
        html! { @for e in errors.iter().filter(|e| e.field == k) { div class="field-error" { (e.message) } } }
    };
    let title = format!(
        "{} {}",
        village.name,
        l.t("信用评定公示", "credit assessment publicity")
    );
    let body = html! {
        h1 { (title) }
        @if let Some(f) = flash { p class="flash" { (f) } }
        @match &list {
            None => p { (l.t("本村目前没有正在公示的信用评定。", "No credit assessment is in publicity in this village now.")) },
            Some((round, rows)) => {
                p { (l.t("评定期间：", "Period: ")) (round.period) " · "
                    (l.t("公示期：", "Publicity: ")) (round.publicity_start.clone().unwrap_or_default())
                    " — " (round.publicity_last_day.clone().unwrap_or_default()) }
                p { (l.t("对评定结果有异议的，任何村民均可在公示期内提出，评议小组逐条答复。",
                        "Any villager may object during publicity; the review group answers every objection.")) }
                div class="scroll" {
                    table {
                        thead { tr { th { (l.t("户号", "No.")) } th { (l.t("户主", "Head")) } th { (l.t("得分", "Score")) } th { (l.t("等级", "Grade")) } } }
                        tbody {
                            @for r in rows {
                                tr { td { (r.household_no) } td { (r.masked_name) } td { (r.score) } td { (r.grade.as_str()) } }
                            }
                        }
                    }
                }
                @if !answers.is_empty() {
                    h2 { (l.t("异议及答复", "Objections and answers")) }
                    div class="scroll" { table {
                        thead { tr { th { (l.t("户号", "No.")) } th { (l.t("提出日期", "Filed")) } th { (l.t("结果", "Decision")) } th { (l.t("理由", "Reason")) } } }
                        tbody { @for a in &answers { tr {
                            td { (a.household_no) } td { (a.raised_on) }
                            td { (match a.status.as_str() { "open" => l.t("评议中", "under review"), "upheld" => l.t("成立，已更正", "upheld, corrected"), _ => l.t("不成立", "rejected") }) }
                            td { (a.decision_reason) }
                        } } }
                    } }
                }
                h2 { (l.t("提出异议", "File an objection")) }
                form method="post" action={ "/public/villages/" (code) "/credit/objections" } {
                    input type="hidden" name="_csrf" value=(csrf);
                    div { label for="household_no" { (l.t("户号", "Household no.")) " *" }
                          input id="household_no" name="household_no" value=(value("household_no")) required; (err("household_no")) }
                    div { label for="name" { (l.t("您的姓名", "Your name")) " *" }
                          input id="name" name="name" value=(value("name")) required; (err("name")) }
                    div { label for="contact" { (l.t("联系方式", "Contact")) " *" }
                          input id="contact" name="contact" value=(value("contact")) required; (err("contact")) }
                    div { label for="reason" { (l.t("异议理由", "Reason")) " *" }
                          textarea id="reason" name="reason" required { (value("reason")) } (err("reason")) }
                    @for e in errors.iter().filter(|e| !["household_no", "name", "contact", "reason"].contains(&e.field)) {
                        p class="field-error" { (e.message) }
                    }
                    button type="submit" { (l.t("提交异议", "Submit")) }
                }
            }
        }
    };
    Ok(shell(l, &title, body))
}

fn html_response(status: StatusCode, csrf: Option<(&AppState, &str)>, body: String) -> Response {
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

pub async fn page(
    State(st): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Query(q): Query<Flash>,
) -> Response {
    let token = v
        .csrf
        .clone()
        .filter(|c| c.len() == 32)
        .unwrap_or_else(new_token);
    let flash = q.flash.as_deref().map(|f| match f {
        "objection" => v.lang.t(
            "异议已提交，评议小组将予以答复。",
            "Your objection was filed; the review group will answer it.",
        ),
        _ => "",
    });
    match render(
        &st,
        v.lang,
        &code,
        &token,
        flash.filter(|f| !f.is_empty()),
        &[],
        &[],
    )
    .await
    {
        Ok(body) => html_response(StatusCode::OK, Some((&st, &token)), body),
        Err(e) => error_response(v.lang, e),
    }
}

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
                other => vec![FieldError::new("form", other.to_string())],
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
            match render(&st, l, &code, &expected, None, &errors, &values).await {
                Ok(body) => html_response(status, None, body),
                Err(e) => error_response(l, e),
            }
        }
    }
}
