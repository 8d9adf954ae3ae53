//! Accounts: signing in and out, language, one's own account and tokens, managing users.

mod account;
mod auth;
mod users;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Routes of the account pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", get(auth::switch_lang))
        .route("/healthz", get(auth::health))
        .route(
            "/account",
            get(account::account_page).post(account::change_password),
        )
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/users", get(users::list).post(users::add))
}
