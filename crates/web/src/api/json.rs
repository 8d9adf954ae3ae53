//! JSON request bodies whose every rejection (malformed JSON, wrong types, missing fields, wrong
//! content type) goes through the one error mapper as the API's JSON error, never axum's plain
//! text: 400 for what is not JSON, 422 for JSON of the wrong shape.
//!
//! A number with a zero fraction (`17.0`) is read as the integer it is: JSON Schema, and so the
//! OpenAPI document, count it as an integer, and clients that only have doubles send it.

use crate::error::ApiError;
use app::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, OptionalFromRequest, Request};
use domain::message::catalogue as msg;
use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

/// A JSON body (`ApiJson<T>`), or an optional one (`Option<ApiJson<T>>`: absent when the request
/// has no `Content-Type`).
pub struct ApiJson<T>(pub T);

fn rejected(e: JsonRejection) -> ApiError {
    let detail = e.body_text();
    match e.status().as_u16() {
        // axum's own words (English) for API clients; Chinese readers are told what to check.
        422 => invalid(msg::JSON_BODY_SHAPE.with(&[("detail", &detail)])),
        _ => AppError::BadRequest(msg::JSON_BODY_UNREADABLE.with(&[("detail", &detail)])),
    }
    .into()
}

fn invalid(msg: impl Into<domain::message::Text>) -> AppError {
    AppError::Invalid(vec![domain::registry::FieldError::new("body", msg)])
}

/// Whole-number floats become integers (every float this large or larger is whole, and the
/// range check keeps the conversion exact).
fn whole_numbers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                if f.fract() == 0.0
                    && (-9.223_372_036_854_775e18..9.223_372_036_854_775e18).contains(&f)
                {
                    *n = Number::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// Every body of this API is an object: an array or any other value is refused with 422, not
/// read field by field (serde would take `[]` as a struct of defaults, e.g. consent = false).
fn typed<T: DeserializeOwned>(mut v: Value) -> Result<ApiJson<T>, ApiError> {
    if !v.is_object() {
        return Err(invalid(msg::BODY_NOT_JSON_OBJECT.text()).into());
    }
    whole_numbers(&mut v);
    serde_json::from_value(v)
        .map(ApiJson)
        .map_err(|e| invalid(msg::JSON_BODY_SHAPE.with(&[("detail", &e)])).into())
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match <axum::Json<Value> as FromRequest<S>>::from_request(req, state).await {
            Ok(axum::Json(v)) => typed(v),
            Err(e) => Err(rejected(e)),
        }
    }
}

impl<T: DeserializeOwned, S: Send + Sync> OptionalFromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        match <axum::Json<Value> as OptionalFromRequest<S>>::from_request(req, state).await {
            Ok(Some(axum::Json(v))) => typed(v).map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(rejected(e)),
        }
    }
}
