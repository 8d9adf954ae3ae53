//! The registry's API: units, grids, households and members.

pub(crate) mod households;
pub(crate) mod openapi;
pub(crate) mod units;

use crate::AppState;
use axum::routing::{get, post, put};
use axum::Router;

/// Routes of the registry API.
pub fn routes() -> Router<AppState> {
    Router::new()
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
}
