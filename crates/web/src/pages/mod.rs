//! Server-rendered pages, by program.

mod accounts;
mod audit;
pub(crate) mod credit;
mod dashboard;
pub(crate) mod disclosure;
pub(crate) mod download;
mod forms;
mod ledger;
mod print;
mod qr;
pub(crate) mod registry;
mod upload;

use crate::AppState;
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/favicon.ico", get(favicon))
        .route("/", get(dashboard::dashboard))
        .route(
            "/public/villages/{code}/credit/qr.svg",
            get(qr::village_credit),
        )
        .merge(accounts::routes())
        .merge(registry::routes())
        .merge(ledger::routes())
        .merge(audit::routes())
        .merge(credit::routes())
        .merge(disclosure::routes())
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
