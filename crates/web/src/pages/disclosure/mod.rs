//! Three-affairs disclosure: the public board and disclosure pages (`public`), and the pages of
//! those who prepare, approve and supervise (`manage`).

pub(crate) mod cache;
mod edit;
mod manage;
mod public;
mod villager;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/disclosures", get(manage::index))
        .route(
            "/disclosures/new",
            get(manage::new_form).post(manage::create),
        )
        .route("/disclosures/drafts/{id}", get(manage::show_draft))
        .route("/disclosures/drafts/{id}/approve", post(manage::approve))
        .route("/disclosures/drafts/{id}/publish", post(manage::publish))
        .route("/disclosures/schedule", get(manage::schedule))
        .route("/disclosures/generate", post(edit::generate))
        .route(
            "/disclosures/drafts/{id}/edit",
            get(edit::edit_page).post(edit::save),
        )
        .route("/public/villages/{code}", get(public::portal))
        .route("/public/villages/{code}/feed.atom", get(public::feed))
        .route("/public/villages/{code}/qr.svg", get(public::portal_qr))
        .route("/public/villages/{code}/qr.png", get(public::portal_qr_png))
        .route("/public/disclosures/{id}", get(public::disclosure))
        .route(
            "/public/disclosures/{id}/qr.svg",
            get(public::disclosure_qr),
        )
        .route(
            "/public/disclosures/{id}/qr.png",
            get(public::disclosure_qr_png),
        )
        .route("/public/verify.js", get(public::verify_js))
        .route("/public/files/{sha}", get(public::attachment))
        .route(
            "/public/villages/{code}/register",
            get(villager::register_page).post(villager::register),
        )
        .route("/me", get(villager::me))
        .route("/me/messages", post(villager::ask))
        .route("/disclosures/messages", get(villager::messages_page))
        .route("/disclosures/messages/{id}/answer", post(villager::answer))
        .route("/disclosures/registrations", get(villager::registrations))
        .route(
            "/disclosures/registrations/{id}/confirm",
            post(villager::confirm),
        )
}
