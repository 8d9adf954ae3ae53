//! JSON request bodies whose every rejection (malformed JSON, wrong types, missing fields, wrong
//! content type) goes through the one error mapper as the API's JSON error, never axum's plain
//! text: 400 for what is not JSON, 422 for JSON of the wrong shape.

use crate::error::ApiError;
use app::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, OptionalFromRequest, Request};
use serde::de::DeserializeOwned;

/// A JSON body (`ApiJson<T>`), or an optional one (`Option<ApiJson<T>>`: absent when the request
/// has no `Content-Type`).
pub struct ApiJson<T>(pub T);

fn rejected(e: JsonRejection) -> ApiError {
    let msg = e.body_text();
    match e.status().as_u16() {
        422 => AppError::Invalid(vec![domain::registry::FieldError::new("body", msg)]),
        _ => AppError::BadRequest(msg),
    }
    .into()
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match <axum::Json<T> as FromRequest<S>>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(rejected(e)),
        }
    }
}

impl<T: DeserializeOwned, S: Send + Sync> OptionalFromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        match <axum::Json<T> as OptionalFromRequest<S>>::from_request(req, state).await {
            Ok(v) => Ok(v.map(|axum::Json(v)| ApiJson(v))),
            Err(e) => Err(rejected(e)),
        }
    }
}
