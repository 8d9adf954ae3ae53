//! Server-rendered pages, by program.

mod account;
mod audit;
mod auth;
pub(crate) mod credit;
mod dashboard;
mod forms;
mod household_import;
mod households;
mod members;
mod units;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", get(auth::switch_lang))
        .route("/healthz", get(auth::health))
        .route("/", get(dashboard::dashboard))
        .route(
            "/account",
            get(account::account_page).post(account::change_password),
        )
        .route("/tree", get(units::tree_root))
        .route("/units/{code}", get(units::unit_page))
        .route("/units/{code}/grids", post(units::create_grid))
        .route("/units/{code}/grid", post(units::update_grid))
        .route("/units/{code}/assign", post(units::assign))
        .route("/households", get(households::list))
        .route(
            "/households/new",
            get(households::new_form).post(households::create),
        )
        .route(
            "/households/import",
            get(household_import::form).post(household_import::upload),
        )
        .route(
            "/households/{id}",
            get(households::file).post(households::update),
        )
        .route("/households/{id}/edit", get(households::edit_form))
        .route("/households/{id}/delete", post(households::delete))
        .route("/households/{id}/members", post(members::add))
        .route(
            "/households/{id}/members/{mid}",
            get(members::edit_form).post(members::update),
        )
        .route(
            "/households/{id}/members/{mid}/delete",
            post(members::delete),
        )
        .route(
            "/households/{id}/members/{mid}/reveal",
            post(members::reveal),
        )
        .route("/audit", get(audit::audit_page))
        .merge(credit::routes())
}
