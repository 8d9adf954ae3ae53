//! The collective ledgers' API: contracts and their flags, debts, claims, resources, import and export.

mod handlers;
pub(crate) mod openapi;

use crate::AppState;
use app::ledger::records::{CollectionDraft, ContractForm};
use axum::routing::{get, post, put};
use axum::Router;
use domain::ledger::{ClaimDraft, DebtActionDraft, DebtDraft, ResourceDraft};

/// Routes of the ledger API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/villages/{code}/ledger/summary",
            get(handlers::village_summary),
        )
        .route("/units/{code}/ledger/villages", get(handlers::villages))
        .route(
            "/villages/{code}/ledger/contracts",
            get(handlers::list::<ContractForm>).post(handlers::create::<ContractForm>),
        )
        .route(
            "/villages/{code}/ledger/contracts/{id}",
            put(handlers::update::<ContractForm>),
        )
        .route("/villages/{code}/ledger/flags", get(handlers::flags))
        .route(
            "/villages/{code}/ledger/flags/{id}",
            put(handlers::update_flag),
        )
        .route(
            "/villages/{code}/ledger/recompute",
            post(handlers::recompute_flags),
        )
        .route(
            "/villages/{code}/ledger/debts",
            get(handlers::list::<DebtDraft>).post(handlers::create::<DebtDraft>),
        )
        .route(
            "/villages/{code}/ledger/debts/{id}/actions",
            post(handlers::action::<DebtActionDraft>),
        )
        .route(
            "/villages/{code}/ledger/claims",
            get(handlers::list::<ClaimDraft>).post(handlers::create::<ClaimDraft>),
        )
        .route(
            "/villages/{code}/ledger/claims/{id}/collections",
            post(handlers::action::<CollectionDraft>),
        )
        .route(
            "/villages/{code}/ledger/resources",
            get(handlers::list::<ResourceDraft>).post(handlers::create::<ResourceDraft>),
        )
        .route(
            "/villages/{code}/ledger/resources/{id}",
            put(handlers::update::<ResourceDraft>),
        )
        .route(
            "/villages/{code}/ledger/debts/{id}",
            put(handlers::update::<DebtDraft>),
        )
        .route(
            "/villages/{code}/ledger/claims/{id}",
            put(handlers::update::<ClaimDraft>),
        )
        .route(
            "/villages/{code}/ledger/resources/{id}/charges",
            post(handlers::charge_resource),
        )
        .route(
            "/villages/{code}/ledger/import",
            post(handlers::import_file),
        )
        .route("/villages/{code}/ledger/export", get(handlers::export_file))
}
