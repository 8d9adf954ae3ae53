//! HTTP for grassroots: server-rendered pages (zh-CN by default, English available) and the
//! JSON API under `/api/v1`. Errors become HTTP responses in exactly one place ([`error`]).

mod api;
mod ctx;
mod error;
mod flash;
mod i18n;
mod layout;
mod pages;
mod public_log;
mod security;

use app::App;
use axum::Router;
use std::net::SocketAddr;

/// Largest request body (spreadsheet uploads); the idempotency layer reads bodies up to the same.
pub(crate) const BODY_LIMIT: usize = 20 * 1024 * 1024;

pub use error::{ApiError, PageError};

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Whether cookies carry the `Secure` attribute (off only for plain-HTTP deployments).
    pub secure_cookies: bool,
    /// Rendered public credit pages (see `pages::credit::public_cache`).
    pub(crate) public_pages: std::sync::Arc<pages::credit::public_cache::PublicPageCache>,
    /// Rendered public disclosure pages (see `pages::disclosure::cache`).
    pub(crate) disclosure_pages: std::sync::Arc<pages::disclosure::cache::DisclosureCache>,
}

/// How often a cached public page is compared with the database when this process has not
/// written (writes by another process, e.g. the CLI, are seen within this): 1 s.
pub const PUBLIC_PAGE_CHECK: std::time::Duration = pages::credit::public_cache::DEFAULT_CHECK;

/// The whole application as a router (tests drive it in-process).
pub fn router(app: App, secure_cookies: bool) -> Router {
    router_with(app, secure_cookies, PUBLIC_PAGE_CHECK)
}

/// The router with another interval for comparing cached public pages with the database
/// (tests shorten it rather than sleep a second).
pub fn router_with(
    app: App,
    secure_cookies: bool,
    public_page_check: std::time::Duration,
) -> Router {
    let state = AppState {
        app,
        secure_cookies,
        public_pages: std::sync::Arc::new(pages::credit::public_cache::PublicPageCache::new(
            public_page_check,
        )),
        disclosure_pages: std::sync::Arc::default(),
    };
    let router = Router::new()
        .merge(pages::routes().fallback(error::page_not_found).layer(
            axum::middleware::from_fn_with_state(state.clone(), error::page_shell),
        ))
        .merge(public_log::routes())
        .nest("/api/v1", api::routes(&state));
    common_layers(router, secure_cookies).with_state(state)
}

/// The layers every route has: the body limit and the security headers (and HSTS when
/// cookies are Secure, i.e. the site is served over HTTPS).
fn common_layers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    secure_cookies: bool,
) -> Router<S> {
    let router = router
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(security::headers));
    if secure_cookies {
        router.layer(axum::middleware::from_fn(security::hsts))
    } else {
        router
    }
}

/// For `grassroots bench public-page` only: `path` answering `body` from memory with the
/// headers the cached public page has (`ETag`, `Cache-Control`, `Vary`, content type), behind
/// the same layers as every real route. Merge it into [`router`] to measure the page against
/// the cheapest answer the same server can give.
pub fn static_baseline(path: &str, body: axum::body::Bytes, secure_cookies: bool) -> Router {
    common_layers(
        pages::credit::static_baseline_route(path, body),
        secure_cookies,
    )
}

/// Serves on an already-bound listener until Ctrl-C.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    secure_cookies: bool,
) -> std::io::Result<()> {
    let router = router(app, secure_cookies);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
