//! A database that cannot take a write in time, or cannot be reached, answers 503 with
//! `Retry-After` (JSON for the API, HTML for pages) — quickly, never a hang or a 500 (issue 7,
//! findings 3 and 3c). Reads keep working while a writer holds the lock, and a Bearer request
//! does not write on its way in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use app::{App, PersonalCipher};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;
use std::time::{Duration, Instant};
use store::{Db, DbOptions};
use testkit::{both, TestApp, VILLAGE_A};
use tower::ServiceExt;

const SHORT: DbOptions = DbOptions {
    acquire_timeout: Duration::from_millis(1500),
    busy_timeout: Duration::from_millis(300),
};

async fn send(
    router: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, header::HeaderMap, String) {
    let res = router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn bearer(
    method: Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map(|b| Body::from(b.to_string())).unwrap_or_default())
        .unwrap()
}

/// The same write each time: debt ZW-1 of 10 yuan.
fn new_debt(debts: &str, token: &str) -> Request<Body> {
    let debt = json!({"debt_no": "ZW-1", "creditor": "信用社", "principal_yuan": "10"});
    bearer(Method::POST, debts, token, Some(debt))
}

/// Another connection holds the write lock (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the
/// village's ledger lock) longer than the server's busy timeout.
async fn busy_database_answers_503(t: TestApp) {
    let token = t.token("accountant_a").await;
    let s = t.login("cadre_a").await;
    let h = credit_support::households(&t, VILLAGE_A, 1).await[0];
    // The same database through a second server with short timeouts.
    let db = Db::connect_with(&t.db.url, &SHORT).await.unwrap();
    let router = web::router(App::new(db, PersonalCipher::new([42; 32])), true);
    let debts = format!("/api/v1/villages/{VILLAGE_A}/ledger/debts");

    let mut holder = t.app.db.begin().await.unwrap();
    store::lock::lock_village(&mut holder, VILLAGE_A)
        .await
        .unwrap();
    if t.db.backend == testkit::Backend::Postgres {
        // SQLite's BEGIN IMMEDIATE locks everything; on PostgreSQL hold the household too.
        sqlx::query(&format!(
            "SELECT id FROM households WHERE id = {h} FOR UPDATE"
        ))
        .execute(&mut *holder)
        .await
        .unwrap();
    }

    // Reads go on, including a Bearer request (which used to write last_used_at).
    let started = Instant::now();
    let (status, _, body) = send(&router, bearer(Method::GET, "/api/v1/me", &token, None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = send(&router, bearer(Method::GET, &debts, &token, None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reads = started.elapsed();

    // A write that cannot get the lock: 503 JSON with Retry-After, after about the busy timeout.
    let started = Instant::now();
    let (status, headers, body) = send(&router, new_debt(&debts, &token)).await;
    let write = started.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "1");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "unavailable");
    assert!(write < Duration::from_secs(3), "answered in {write:?}");

    // A page write: 503 HTML with Retry-After.
    let form = format!("_csrf={}", s.csrf);
    let (status, headers, body) = send(
        &router,
        Request::post(format!("/households/{h}/delete"))
            .header(header::COOKIE, s.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(headers.get(header::RETRY_AFTER).is_some());
    assert!(body.contains("<html") && body.contains("重试"), "{body}");
    eprintln!(
        "{:?}: reads under a held lock {reads:?}, refused write {write:?}",
        t.db.backend
    );

    // Once the lock is gone the same write goes through, and nothing of the refused ones stuck.
    holder.rollback().await.unwrap();
    let (status, _, body) = send(&router, new_debt(&debts, &token)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(t.count("debts").await, 1);
    assert_eq!(t.count("households").await, 1);
}
both!(busy_database_answers_503);

/// PostgreSQL down (nothing listens on the port): the API and the pages answer 503 within the
/// acquire timeout instead of hanging 30 s and answering 500.
#[tokio::test]
async fn unreachable_database_answers_503_quickly() {
    let db = Db::connect_lazy("postgres://postgres@127.0.0.1:9/grassroots", &SHORT).unwrap();
    let router = web::router(App::new(db, PersonalCipher::new([42; 32])), true);

    let started = Instant::now();
    let (status, headers, body) =
        send(&router, bearer(Method::GET, "/api/v1/me", "grt_x", None)).await;
    let api = started.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "5");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "unavailable");

    let started = Instant::now();
    let (status, headers, body) = send(
        &router,
        Request::get("/")
            .header(header::COOKIE, "__Host-gr_session=abc")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let page = started.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(headers.get(header::RETRY_AFTER).is_some());
    assert!(body.contains("<html"), "{body}");
    eprintln!("unreachable PostgreSQL: API answered in {api:?}, page in {page:?}");
    assert!(api < Duration::from_secs(4) && page < Duration::from_secs(4));
}

/// A polling client does not write: `last_used_at` moves at most once per minute per token.
async fn token_use_is_marked_once_a_minute(t: TestApp) {
    use store::accounts::tokens;
    let token = t.token("cadre_a").await;
    let hash = sqlx::query("SELECT token_hash FROM api_tokens")
        .fetch_one(&t.app.db.pool)
        .await
        .map(|r| sqlx::Row::get::<String, _>(&r, 0))
        .unwrap();
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let a_minute_ago = (chrono::Utc::now() - chrono::Duration::minutes(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    assert_eq!(
        tokens::touch(&mut conn, &hash, &a_minute_ago)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        tokens::touch(&mut conn, &hash, &a_minute_ago)
            .await
            .unwrap(),
        0,
        "marked already"
    );
    let live = tokens::user_of(&mut conn, &hash, "")
        .await
        .unwrap()
        .unwrap();
    assert!(live.last_used_at.is_some());
    drop(conn);
    // Requests in a row leave the mark alone (it is fresh), and answer.
    let before = live.last_used_at;
    for _ in 0..5 {
        let (status, _, _) = send(&t.router, bearer(Method::GET, "/api/v1/me", &token, None)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let after = tokens::user_of(&mut conn, &hash, "")
        .await
        .unwrap()
        .unwrap()
        .last_used_at;
    assert_eq!(after, before);
}
both!(token_use_is_marked_once_a_minute);

/// Review finding 2: the ledger's "recompute" takes the village's ledger lock like every other
/// ledger write (on PostgreSQL it used to run without it, next to a collection that changed
/// the totals it raised claims from): while another transaction holds the lock it waits and
/// then answers "busy, retry"; once the lock is gone it runs.
async fn recompute_takes_the_village_lock(t: TestApp) {
    let actor = t.actor("accountant_a").await;
    let server = App::new(
        Db::connect_with(&t.db.url, &SHORT).await.unwrap(),
        PersonalCipher::new([42; 32]),
    );
    let mut holder = t.app.db.begin().await.unwrap();
    store::lock::lock_village(&mut holder, VILLAGE_A)
        .await
        .unwrap();
    let refused = app::ledger::recompute::recompute(&server, &actor, VILLAGE_A).await;
    assert!(
        matches!(refused, Err(app::AppError::Unavailable { .. })),
        "{refused:?}"
    );
    holder.rollback().await.unwrap();
    app::ledger::recompute::recompute(&server, &actor, VILLAGE_A)
        .await
        .unwrap();
}
both!(recompute_takes_the_village_lock);
