//! The JSON API under `/api/v1`: bearer tokens or a session (with `X-CSRF-Token` for writes).
//! Errors are `{"error": {"code", "message"}}` with the right status.

mod credit;
mod idempotency;
mod json;
mod ledger;
mod openapi;
mod registry;
mod tokens;

use crate::error::ApiError;
use crate::AppState;
use app::AppError;
use axum::routing::get;
use axum::Router;
use serde::de::DeserializeOwned;

pub use json::ApiJson;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(registry::units::me))
        .route("/tokens", get(tokens::list))
        .route("/tokens/{id}", axum::routing::delete(tokens::revoke))
        .route("/audit", get(registry::units::audit))
        .merge(registry::routes())
        .merge(ledger::routes())
        .merge(credit::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
}

async fn not_found() -> ApiError {
    AppError::NotFound(domain::message::catalogue::ROUTE.text()).into()
}

/// A path parameter whose rejection is a JSON 400 (e.g. `/households/abc`).
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(e) => Err(AppError::BadRequest(e.body_text().into()).into()),
        }
    }
}

/// A query string whose rejection is a JSON 400 (e.g. `?page=x`).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S>
    for ApiQuery<T>
{
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(AppError::BadRequest(e.body_text().into()).into()),
        }
    }
}
