//! Form plumbing shared by the pages: CSRF-checked form bodies and redirects with a flash.

use crate::ctx::{csrf_ok, Ctx};
use crate::error::PageError;
pub use crate::flash::Flash;
use crate::AppState;
use app::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::message::catalogue as msg;
use domain::message::FieldError;
use std::collections::HashMap;

pub use crate::layout::WHOLE_FORM;

/// What a refused form shows again rather than leaving its user on an error page: the status
/// (422 invalid, 409 conflict, 404 something it names is gone) and the messages in the
/// reader's language — at their fields, or for the whole form ([`WHOLE_FORM`]) when a conflict
/// or a missing record has no field. Other errors stay error pages.
pub fn refusal(
    e: AppError,
    l: crate::i18n::Lang,
) -> Result<(StatusCode, Vec<FieldError>), PageError> {
    let zh = l.is_zh();
    match e {
        AppError::Invalid(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::i18n::localized(errors, l),
        )),
        AppError::Conflict(m) => Ok((
            StatusCode::CONFLICT,
            vec![FieldError::new(WHOLE_FORM, m.only(zh))],
        )),
        AppError::NotFound(what) => Ok((
            StatusCode::NOT_FOUND,
            vec![FieldError::new(
                WHOLE_FORM,
                crate::error::not_found(&what).only(zh),
            )],
        )),
        e => Err(PageError::new(e, l)),
    }
}

/// A urlencoded form whose `_csrf` field matched the session's token. Fields arrive as a map
/// so each page picks what it needs and bad input never fails extraction.
pub struct CsrfForm(pub HashMap<String, String>);

impl CsrfForm {
    pub fn get(&self, k: &str) -> String {
        self.0.get(k).cloned().unwrap_or_default()
    }

    /// Every value of a repeated field (checkbox lists) from the raw body.
    pub fn all(raw: &[(String, String)], k: &str) -> Vec<String> {
        raw.iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Checks a CSRF token sent with a form against the session.
pub fn check_csrf(ctx: &Ctx, sent: &str) -> Result<(), PageError> {
    if csrf_ok(&ctx.csrf, sent) {
        Ok(())
    } else {
        Err(PageError::new(
            AppError::Forbidden(msg::FORM_EXPIRED.text()),
            ctx.lang,
        ))
    }
}

/// Form bodies as a list of pairs (keeps repeated keys such as checkboxes).
pub struct RawForm(pub Vec<(String, String)>);

impl FromRequest<AppState> for RawForm {
    type Rejection = PageError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = crate::ctx::lang_in(req.headers());
        let Form(v) = Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| {
                let why =
                    domain::message::catalogue::FORM_UNREADABLE.with(&[("detail", &e.body_text())]);
                PageError::new(AppError::BadRequest(why), lang)
            })?;
        Ok(RawForm(v))
    }
}

impl RawForm {
    pub fn map(&self) -> CsrfForm {
        CsrfForm(self.0.iter().cloned().collect())
    }
    pub fn csrf(&self, ctx: &Ctx) -> Result<CsrfForm, PageError> {
        let m = self.map();
        check_csrf(ctx, &m.get("_csrf"))?;
        Ok(m)
    }
}

pub fn redirect(to: &str, flash: Flash) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    // Targets may hold path segments from the request: never anything but a same-site path.
    let target = domain::redirect::same_site_path(&format!("{to}{sep}flash={}", flash.key()));
    Redirect::to(&target).into_response()
}

#[derive(serde::Deserialize, Default)]
pub struct FlashQuery {
    pub flash: Option<String>,
}

/// A query string on a page; a malformed one (`?page=x`, a missing `village`) is a 400 page
/// in the site's layout, not the framework's plain-text rejection.
pub struct PageQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<AppState>
    for PageQuery<T>
{
    type Rejection = PageError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(PageQuery(v)),
            Err(e) => Err(bad_link(parts, e.body_text())),
        }
    }
}

/// Path parameters of a page (`/households/abc` is a 400 page, like [`PageQuery`]).
pub struct PagePath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<AppState>
    for PagePath<T>
{
    type Rejection = PageError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(PagePath(v)),
            Err(e) => Err(bad_link(parts, e.body_text())),
        }
    }
}

fn bad_link(parts: &axum::http::request::Parts, detail: String) -> PageError {
    tracing::debug!(%detail, "malformed page address");
    PageError::new(
        AppError::BadRequest(msg::BAD_LINK.text()),
        crate::ctx::lang_of(parts),
    )
}
