//! The JSON API under `/api/v1`: bearer tokens or a session (with `X-CSRF-Token` for writes).
//! Errors are `{"error": {"code", "message"}}` with the right status.

mod credit;
mod households;
mod idempotency;
mod json;
mod ledger;
mod ledger_openapi;
mod openapi;
mod registry_openapi;
mod tokens;
mod units;

use crate::error::ApiError;
use crate::AppState;
use app::AppError;
use axum::routing::{get, post, put};
use axum::Router;
use serde::de::DeserializeOwned;

pub use json::ApiJson;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(units::me))
        .route("/tokens", get(tokens::list))
        .route("/tokens/{id}", axum::routing::delete(tokens::revoke))
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
        .route("/households/search", post(households::search))
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
        .route(
            "/villages/{code}/ledger/summary",
            get(ledger::village_summary),
        )
        .route("/units/{code}/ledger/villages", get(ledger::villages))
        .route(
            "/villages/{code}/ledger/contracts",
            get(ledger::contracts).post(ledger::create_contract),
        )
        .route(
            "/villages/{code}/ledger/contracts/{id}",
            put(ledger::update_contract),
        )
        .route("/villages/{code}/ledger/flags", get(ledger::flags))
        .route(
            "/villages/{code}/ledger/flags/{id}",
            put(ledger::update_flag),
        )
        .route(
            "/villages/{code}/ledger/recompute",
            post(ledger::recompute_flags),
        )
        .route(
            "/villages/{code}/ledger/debts",
            get(ledger::debts).post(ledger::create_debt),
        )
        .route(
            "/villages/{code}/ledger/debts/{id}/actions",
            post(ledger::debt_action),
        )
        .route(
            "/villages/{code}/ledger/claims",
            get(ledger::claims).post(ledger::create_claim),
        )
        .route(
            "/villages/{code}/ledger/claims/{id}/collections",
            post(ledger::claim_collection),
        )
        .route(
            "/villages/{code}/ledger/resources",
            get(ledger::resources).post(ledger::create_resource),
        )
        .route(
            "/villages/{code}/ledger/resources/{id}",
            put(ledger::update_resource),
        )
        .route(
            "/villages/{code}/ledger/debts/{id}",
            put(ledger::update_debt),
        )
        .route(
            "/villages/{code}/ledger/claims/{id}",
            put(ledger::update_claim),
        )
        .route(
            "/villages/{code}/ledger/resources/{id}/charges",
            post(ledger::charge_resource),
        )
        .route("/villages/{code}/ledger/import", post(ledger::import_file))
        .route("/villages/{code}/ledger/export", get(ledger::export_file))
        .merge(credit::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
}

async fn not_found() -> ApiError {
    AppError::NotFound("route".into()).into()
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
            Err(e) => Err(AppError::BadRequest(e.body_text()).into()),
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
            Err(e) => Err(AppError::BadRequest(e.body_text()).into()),
        }
    }
}
