//! Who is asking: the session (pages) or bearer token (API), the language and the address.

use crate::error::{ApiError, PageError};
use crate::i18n::Lang;
use crate::AppState;
use app::{Actor, AppError};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, Method};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "gr_session";
pub const LANG_COOKIE: &str = "gr_lang";
pub const LOGIN_CSRF_COOKIE: &str = "gr_login_csrf";
/// The prefix browsers only accept on a cookie set Secure, with Path=/ and no Domain: no
/// other site or subdomain can plant or overwrite such a cookie (session fixation).
pub const HOST_PREFIX: &str = "__Host-";

/// A cookie's name as sent: with the `__Host-` prefix when cookies are Secure; the plain name
/// in the insecure LAN mode (browsers refuse the prefix without Secure).
pub fn cookie_name(st: &AppState, base: &str) -> String {
    if st.secure_cookies {
        format!("{HOST_PREFIX}{base}")
    } else {
        base.to_string()
    }
}

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    cookie_in(&parts.headers, name)
}

pub fn cookie_in<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "in-process".into())
}

/// The language cookie under either name (it carries no authority, so both are read); without
/// one, what the browser asks for in `Accept-Language`.
pub fn lang_of(parts: &Parts) -> Lang {
    lang_in(&parts.headers)
}

pub fn lang_in(headers: &axum::http::HeaderMap) -> Lang {
    let prefixed = format!("{HOST_PREFIX}{LANG_COOKIE}");
    match cookie_in(headers, &prefixed).or_else(|| cookie_in(headers, LANG_COOKIE)) {
        Some(v) => Lang::from_cookie(Some(v)),
        None => Lang::from_accept_language(
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        ),
    }
}

/// A logged-in page request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub csrf: String,
    pub lang: Lang,
    pub token: String,
    /// Path and query of this request (to come back after switching language).
    pub here: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = lang_of(parts);
        let here = without_personal_numbers(&parts.uri);
        let login = || PageError::new(AppError::Unauthenticated, lang).with_next(here.clone());
        let Some(token) = cookie(parts, &cookie_name(state, SESSION_COOKIE)).map(str::to_string)
        else {
            return Err(login());
        };
        let ip = client_ip(parts);
        match app::accounts::actor_for_session(&state.app, &token, &ip).await {
            Ok(Some((actor, csrf))) => Ok(Ctx {
                actor,
                csrf,
                lang,
                token,
                here,
            }),
            Ok(None) => Err(login()),
            Err(e) => Err(PageError::new(e, lang)),
        }
    }
}

/// Any page request, logged in or not (login page, public pages).
#[derive(Debug, Clone)]
pub struct Public {
    pub lang: Lang,
    pub ip: String,
    pub login_csrf: Option<String>,
}

impl FromRequestParts<AppState> for Public {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Public {
            lang: lang_of(parts),
            ip: client_ip(parts),
            login_csrf: cookie(parts, &cookie_name(state, LOGIN_CSRF_COOKIE)).map(str::to_string),
        })
    }
}

/// An API request: `Authorization: Bearer <token>` or a session cookie. With a cookie, writes
/// must carry the session's CSRF token in `X-CSRF-Token`.
#[derive(Debug, Clone)]
pub struct ApiCtx {
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Already authenticated by the Idempotency-Key layer.
        if let Some(c) = parts.extensions.get::<ApiCtx>() {
            return Ok(c.clone());
        }
        let ip = client_ip(parts);
        if let Some(token) = bearer(parts) {
            return match app::accounts::actor_for_token(&state.app, token, &ip).await? {
                Some(actor) => Ok(ApiCtx { actor }),
                None => Err(AppError::Unauthenticated.into()),
            };
        }
        let Some(token) = cookie(parts, &cookie_name(state, SESSION_COOKIE)) else {
            return Err(AppError::Unauthenticated.into());
        };
        let Some((actor, csrf)) = app::accounts::actor_for_session(&state.app, token, &ip).await?
        else {
            return Err(AppError::Unauthenticated.into());
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok());
        if !safe && sent != Some(csrf.as_str()) {
            return Err(AppError::Forbidden(domain::message::catalogue::CSRF_HEADER.text()).into());
        }
        Ok(ApiCtx { actor })
    }
}

/// The token of an `Authorization: Bearer` header.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Compares CSRF tokens in constant time.
pub fn csrf_ok(expected: &str, sent: &str) -> bool {
    expected.len() == sent.len()
        && !expected.is_empty()
        && expected
            .bytes()
            .zip(sent.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// This request's path and query for links back to it (language switch), minus the query when
/// it carries a full resident ID (a search by ID), so the number does not travel further.
pub fn without_personal_numbers(uri: &axum::http::Uri) -> String {
    let path = uri.path().to_string();
    match uri.query() {
        None => path,
        Some(q) => {
            let has_id = url::form_urlencoded::parse(q.as_bytes())
                .any(|(_, v)| domain::ResidentId::parse(&v).is_ok());
            if has_id {
                path
            } else {
                format!("{path}?{q}")
            }
        }
    }
}
