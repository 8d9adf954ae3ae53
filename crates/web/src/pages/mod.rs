//! Server-rendered pages, by program.

mod account;
mod audit;
mod audit_labels;
mod auth;
pub(crate) mod credit;
mod dashboard;
mod download;
mod forms;
mod household_import;
mod households;
mod ledger;
mod members;
mod qr;
mod units;
mod users;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", get(auth::switch_lang))
        .route("/healthz", get(auth::health))
        .route("/favicon.ico", get(favicon))
        .route("/", get(dashboard::dashboard))
        .route(
            "/account",
            get(account::account_page).post(account::change_password),
        )
        .route(
            "/account/tokens/{id}/revoke",
            axum::routing::post(account::revoke_token),
        )
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
        .route("/ledger", get(ledger::home::entry))
        .route("/villages/{code}/ledger", get(ledger::home::village))
        .route(
            "/villages/{code}/ledger/recompute",
            post(ledger::home::recompute),
        )
        .route(
            "/villages/{code}/ledger/contracts",
            get(ledger::contracts::list),
        )
        .route(
            "/villages/{code}/ledger/contracts/new",
            get(ledger::contracts::new_form).post(ledger::contracts::create),
        )
        .route(
            "/villages/{code}/ledger/contracts/{id}",
            get(ledger::contracts::edit_form).post(ledger::contracts::update),
        )
        .route(
            "/villages/{code}/ledger/flags/{id}",
            get(ledger::contracts::task).post(ledger::contracts::task_update),
        )
        .route(
            "/villages/{code}/ledger/debts",
            get(ledger::books::debts).post(ledger::books::create_debt),
        )
        .route(
            "/villages/{code}/ledger/claims",
            get(ledger::books::claims).post(ledger::books::create_claim),
        )
        .route(
            "/villages/{code}/ledger/resources",
            get(ledger::books::resources).post(ledger::books::create_resource),
        )
        .route(
            "/villages/{code}/ledger/debts/{id}/actions",
            post(ledger::books::debt_action),
        )
        .route(
            "/villages/{code}/ledger/claims/{id}/collections",
            post(ledger::books::collection),
        )
        .route(
            "/villages/{code}/ledger/import",
            get(ledger::files::form).post(ledger::files::upload),
        )
        .route(
            "/villages/{code}/ledger/export",
            get(ledger::files::download),
        )
        .route(
            "/villages/{code}/ledger/report",
            get(ledger::report::report),
        )
        .route(
            "/villages/{code}/ledger/resources/{id}/charges",
            post(ledger::charges::charge),
        )
        .route("/units/{code}/ledger", get(ledger::ranking::ranking))
        .route(
            "/units/{code}/ledger/ranking.xlsx",
            get(ledger::ranking::ranking_xlsx),
        )
        .route("/audit", get(audit::audit_page))
        .route("/audit.xlsx", get(audit::audit_xlsx))
        .route(
            "/public/villages/{code}/credit/qr.svg",
            get(qr::village_credit),
        )
        .route("/users", get(users::list).post(users::add))
        .merge(credit::routes())
}

/// The site's icon (browsers ask for it on every first visit): a red square with 治, as SVG.
const FAVICON: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>\
<rect width='32' height='32' rx='6' fill='#9b1c1c'/>\
<text x='16' y='23' font-size='20' text-anchor='middle' fill='#fff'>治</text></svg>";

async fn favicon() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}
