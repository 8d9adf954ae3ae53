//! The registry's pages: the unit tree, households, members, grids and the household import.

mod household_import;
pub(crate) mod households;
mod members;
pub(crate) mod units;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Routes of the registry pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tree", get(units::tree_root))
        .route("/units/{code}", get(units::unit_page))
        .route("/units/{code}/grids", post(units::create_grid))
        .route("/units/{code}/grid", post(units::update_grid))
        .route("/units/{code}/assign", post(units::assign))
        .route(
            "/households",
            get(households::list).post(households::search),
        )
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
}
