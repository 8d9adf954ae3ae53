//! The JSON API under `/api/v1`: bearer tokens or a session (with `X-CSRF-Token` for writes).
//! Errors are `{"error": {"code", "message"}}` with the right status.

mod credit;
mod households;
mod openapi;
mod units;

use crate::error::ApiError;
use crate::AppState;
use app::AppError;
use axum::extract::{FromRequest, Request};
use axum::routing::{get, post, put};
use axum::Router;
use serde::de::DeserializeOwned;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(units::me))
        .route("/units/{code}", get(units::get_unit))
        .route("/units/{code}/children", get(units::children))
        .route("/units/{code}/summary", get(units::summary))
        .route(
            "/units/{code}/grids",
            get(units::grids).post(units::create_grid),
        )
        .route("/units/{code}/households/import", post(households::import))
        .route(
            "/households",
            get(households::list).post(households::create),
        )
        .route(
            "/households/{id}",
            get(households::get_one)
                .put(households::update)
                .delete(households::delete),
        )
        .route("/households/{id}/grid", put(households::assign_grid))
        .route("/households/{id}/members", post(households::add_member))
        .route(
            "/households/{id}/members/{mid}",
            put(households::update_member).delete(households::delete_member),
        )
        .route(
            "/households/{id}/members/{mid}/reveal",
            post(households::reveal),
        )
        .route("/audit", get(units::audit))
        .merge(credit::routes())
        .fallback(not_found)
}

async fn not_found() -> ApiError {
    AppError::NotFound("route".into()).into()
}

/// A JSON body whose rejection is a JSON error (400 for malformed JSON, 422 for wrong shape).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => {
                let msg = e.body_text();
                Err(match e.status().as_u16() {
                    422 => AppError::Invalid(vec![domain::registry::FieldError::new("body", msg)]),
                    _ => AppError::BadRequest(msg),
                }
                .into())
            }
        }
    }
}
