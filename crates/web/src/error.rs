//! The one place where application errors become HTTP responses: JSON for the API, HTML for
//! pages. Server-side failures are logged here, once, with their whole chain.

use crate::i18n::Lang;
use app::{AppError, ImportIssue};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use domain::message::{catalogue as msg, Text};
use maud::html;
use serde_json::json;

fn status_and_code(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        AppError::Import(_) => (StatusCode::UNPROCESSABLE_ENTITY, "import_refused"),
        AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        AppError::Throttled(_) => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
        AppError::Unavailable { .. } => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        AppError::Crypto | AppError::Store(_) | AppError::Internal(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

fn log_if_server_error(status: StatusCode, e: &AppError) {
    if status.is_server_error() {
        let mut chain = e.to_string();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            src = s.source();
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = %chain, "request refused: database busy or unreachable");
        } else {
            tracing::error!(error = %chain, "request failed");
        }
    }
}

/// The API's message in both languages, under the stable code of its reason.
fn api_message(status: StatusCode, e: &AppError) -> Text {
    match e {
        AppError::Unavailable { retry_after, .. } => {
            msg::DATABASE_BUSY.with(&[("seconds", retry_after)])
        }
        _ if status.is_server_error() => msg::INTERNAL.text(),
        AppError::Invalid(errs) => {
            let join = |zh: bool| {
                errs.iter()
                    .map(|f| {
                        let (label_zh, label_en) = msg::field_label(f.field);
                        let label = if zh { label_zh } else { label_en };
                        format!("{label}: {}", f.message.pick(zh))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            Text::new("invalid", join(true), join(false))
        }
        AppError::Forbidden(why) => msg::FORBIDDEN.wrap("why", why),
        AppError::NotFound(what) => not_found(what),
        AppError::BadRequest(m) | AppError::Conflict(m) => m.clone(),
        AppError::Throttled(secs) => msg::THROTTLED.with(&[("seconds", secs)]),
        AppError::Import(issues) => {
            msg::IMPORT_REFUSED.with(&[("count", &ImportIssue::total(issues))])
        }
        AppError::Unauthenticated => msg::UNAUTHENTICATED.text(),
        other => Text::plain(other.to_string()),
    }
}

/// What an error says to a person, in both languages (internal details stay in the log).
pub fn message_of(e: &AppError) -> Text {
    api_message(status_and_code(e).0, e)
}

/// "household 12 not found" in both languages; a thing the catalogue does not know gets the
/// general Chinese sentence rather than an English word inside it.
pub(crate) fn not_found(what: &Text) -> Text {
    if what.has_chinese() {
        return msg::NOT_FOUND.wrap("what", what);
    }
    let en = msg::NOT_FOUND.with(&[("what", &what.en)]).en;
    match msg::thing(&what.en) {
        Some(thing) => {
            let zh = msg::NOT_FOUND.with(&[("what", &thing.zh)]).zh;
            Text::new(thing.code, zh, en)
        }
        None => Text::new(msg::NOT_FOUND.code, msg::NOT_FOUND_ANY.zh, en),
    }
}

/// A human message for a page, in the reader's language; internal details stay in the log.
fn public_message(status: StatusCode, e: &AppError, l: Lang) -> String {
    match e {
        AppError::Invalid(errs) => errs
            .iter()
            .map(|f| {
                if l.is_zh() {
                    f.message.zh.to_string()
                } else {
                    format!("{}: {}", msg::field_label(f.field).1, f.message.en)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Throttled(_) => l
            .t(
                "尝试次数过多，请稍后再试。",
                "Too many attempts; try again later.",
            )
            .to_string(),
        _ => api_message(status, e).pick(l.is_zh()).to_string(),
    }
}

/// An API error: `{"error": {"code", "message", ...}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = status_and_code(&self.0);
        log_if_server_error(status, &self.0);
        let text = api_message(status, &self.0);
        let mut body = json!({
            "code": code,
            "reason": text.code,
            "message": text.to_string(),
            "message_zh": text.zh,
            "message_en": text.en,
        });
        match &self.0 {
            AppError::Invalid(fields) => body["fields"] = json!(fields),
            AppError::Import(issues) => body["issues"] = json!(issues),
            _ => {}
        }
        let mut res = (status, Json(json!({ "error": body }))).into_response();
        retry_after(&mut res, &self.0);
        res
    }
}

/// A page error, rendered as a small bilingual HTML page (or a redirect to the login page).
#[derive(Debug)]
pub struct PageError {
    pub error: AppError,
    pub lang: Lang,
    pub next: Option<String>,
}

impl PageError {
    pub fn new(error: AppError, lang: Lang) -> PageError {
        PageError {
            error,
            lang,
            next: None,
        }
    }
    pub fn with_next(mut self, next: String) -> PageError {
        self.next = Some(next);
        self
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::new(e, Lang::Zh)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, _) = status_and_code(&self.error);
        if status == StatusCode::UNAUTHORIZED {
            let next = self.next.unwrap_or_else(|| "/".into());
            let to = format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
            );
            return Redirect::to(&to).into_response();
        }
        log_if_server_error(status, &self.error);
        // Said in both languages: `page_shell` shows the one of the reader it finds (the
        // error may have left its handler through `?` before the language was known).
        let said = |l: Lang| {
            let issues: Vec<String> = match &self.error {
                AppError::Import(issues) => issues.iter().map(|i| i.line(l.is_zh())).collect(),
                _ => Vec::new(),
            };
            let message = public_message(status, &self.error, l);
            if l.is_zh() && !domain::message::has_han(&message) {
                // A message without its Chinese text: add it to the catalogue.
                tracing::warn!(%message, "English-only message on a Chinese page");
            }
            let inner = html! {
                p class="error" role="alert" { (message) }
                @if !issues.is_empty() { ul class="issues" { @for i in &issues { li { code { (i) } } } } }
            };
            Said {
                title: title(status, l).to_string(),
                inner: inner.into_string(),
            }
        };
        let page = ErrorPage {
            zh: said(Lang::Zh),
            en: said(Lang::En),
        };
        // Standalone here; `page_shell` puts it in the site's layout for the reader, with the
        // ways on.
        let l = self.lang;
        let shown = page.said(l);
        let inner = html! { (maud::PreEscaped(&shown.inner)) (ways_on(l, None)) };
        let body = crate::layout::bare_page(l, &shown.title, inner);
        let mut res = (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body.into_string(),
        )
            .into_response();
        retry_after(&mut res, &self.error);
        res.extensions_mut().insert(page);
        res
    }
}

/// What an error page is called, by its status.
fn title(status: StatusCode, l: Lang) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => l.t("未找到", "Not found"),
        StatusCode::FORBIDDEN => l.t("无权访问", "Not allowed"),
        StatusCode::CONFLICT => l.t("数据冲突", "Conflict"),
        StatusCode::TOO_MANY_REQUESTS => l.t("尝试次数过多", "Too many attempts"),
        StatusCode::SERVICE_UNAVAILABLE => l.t("系统繁忙", "Busy, please retry"),
        StatusCode::METHOD_NOT_ALLOWED => l.t("操作方式有误", "Method not allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => l.t("内容过大", "Too large"),
        s if s.is_server_error() => l.t("系统错误", "Server error"),
        _ => l.t("请求有误", "Bad request"),
    }
}

/// The ways on from an error page: back where the reader came from (a page of this site other
/// than the failed one) and the dashboard.
fn ways_on(l: Lang, back: Option<&str>) -> maud::Markup {
    html! {
        p class="actions" {
            @if let Some(b) = back {
                a class="button" href=(b) { (l.t("返回上一页", "Back")) } " "
            }
            a class="button" href="/" { (l.t("返回首页", "Back to the dashboard")) }
        }
    }
}

/// The page the reader came from, from `Referer`: a path of this same host (never another
/// site, never the address that failed).
fn came_from(headers: &axum::http::HeaderMap, failed: &axum::http::Uri) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let url = url::Url::parse(referer).ok()?;
    let authority = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str()?),
        None => url.host_str()?.to_string(),
    };
    if host != Some(authority.as_str()) {
        return None;
    }
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let failed = failed.path_and_query().map_or("/", |p| p.as_str());
    let safe = domain::redirect::same_site_path(&path);
    (safe != "/" && safe != failed).then_some(safe)
}

/// A framework's own refusal on a page (405, 413, a rejected body: plain text or nothing) as
/// an error page like the others.
fn framework_error(status: StatusCode) -> ErrorPage {
    let message = match status {
        StatusCode::METHOD_NOT_ALLOWED => msg::METHOD_NOT_ALLOWED.text(),
        StatusCode::PAYLOAD_TOO_LARGE => msg::PAYLOAD_TOO_LARGE.text(),
        s if s.is_server_error() => msg::INTERNAL.text(),
        _ => msg::BAD_LINK.text(),
    };
    let said = |l: Lang| Said {
        title: title(status, l).to_string(),
        inner: html! { p class="error" role="alert" { (message.pick(l.is_zh())) } }.into_string(),
    };
    ErrorPage {
        zh: said(Lang::Zh),
        en: said(Lang::En),
    }
}

/// Whether a page's answer is an error the framework wrote (no page of ours).
fn is_bare_error(res: &Response) -> bool {
    let status = res.status();
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    (status.is_client_error() || status.is_server_error()) && plain
}

/// What an error page says in each language, kept on its response for [`page_shell`].
#[derive(Clone)]
struct ErrorPage {
    zh: Said,
    en: Said,
}

#[derive(Clone)]
struct Said {
    title: String,
    inner: String,
}

impl ErrorPage {
    fn said(&self, l: Lang) -> &Said {
        if l.is_zh() {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// Puts every error page of the site in the reader's layout: navigation for a signed-in
/// account (built again from the request: error pages only), the sign-in link otherwise. Why a
/// layer and not each handler: errors leave handlers through `?` with only a language at hand.
pub async fn page_shell(
    axum::extract::State(st): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // What the shell needs of the request (its address, cookies, language and peer), kept aside
    // cheaply: every page passes here, few of them fail.
    let mut asked = axum::http::Request::new(());
    *asked.uri_mut() = req.uri().clone();
    for name in [
        header::COOKIE,
        header::ACCEPT_LANGUAGE,
        header::REFERER,
        header::HOST,
    ] {
        for v in req.headers().get_all(&name) {
            asked.headers_mut().append(name.clone(), v.clone());
        }
    }
    if let Some(peer) = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
    {
        asked.extensions_mut().insert(*peer);
    }
    let res = next.run(req).await;
    let err = match res.extensions().get::<ErrorPage>().cloned() {
        Some(err) => err,
        None if is_bare_error(&res) => framework_error(res.status()),
        None => return res,
    };
    let (mut asked, ()) = asked.into_parts();
    let back = came_from(&asked.headers, &asked.uri);
    let shell = match <crate::ctx::Ctx as axum::extract::FromRequestParts<_>>::from_request_parts(
        &mut asked, &st,
    )
    .await
    {
        Ok(ctx) => {
            let said = err.said(ctx.lang);
            let inner =
                html! { (maud::PreEscaped(&said.inner)) (ways_on(ctx.lang, back.as_deref())) };
            crate::layout::page(&ctx, &said.title, None, inner)
        }
        Err(_) => {
            let l = crate::ctx::lang_of(&asked);
            let said = err.said(l);
            let inner = html! { (maud::PreEscaped(&said.inner)) (ways_on(l, back.as_deref())) };
            crate::layout::bare_page(l, &said.title, inner)
        }
    };
    let (mut head, _) = res.into_parts();
    head.headers.remove(header::CONTENT_LENGTH);
    head.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(head, axum::body::Body::from(shell.into_string()))
}

/// Any path no page answers: a page for browsers, the API's JSON under `/api`.
pub async fn page_not_found(uri: axum::http::Uri, p: crate::ctx::Public) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError(AppError::NotFound(msg::ROUTE.text())).into_response();
    }
    PageError::new(AppError::NotFound(msg::PAGE.text()), p.lang).into_response()
}

/// A 429 or 503 says when to come back.
fn retry_after(res: &mut Response, e: &AppError) {
    let secs = match e {
        AppError::Throttled(secs) => (*secs).max(1),
        AppError::Unavailable { retry_after, .. } => i64::from(*retry_after).max(1),
        _ => return,
    };
    res.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
}

/// Page handlers return this.
pub type PageResult = Result<Response, PageError>;

/// Attaches the request's language to an application error.
pub trait WithLang<T> {
    fn lang(self, l: Lang) -> Result<T, PageError>;
}

impl<T> WithLang<T> for Result<T, AppError> {
    fn lang(self, l: Lang) -> Result<T, PageError> {
        self.map_err(|e| PageError::new(e, l))
    }
}
