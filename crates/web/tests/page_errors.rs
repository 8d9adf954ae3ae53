//! Every 4xx a person can meet on a page is a page in the site's shell, in their language, with
//! a way on — never an empty body or a framework's plain-text message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::{header, StatusCode};
use testkit::{both, TestApp};

async fn page_errors_are_pages_with_a_way_on(t: TestApp) {
    let s = t.login("cadre_a").await;
    for (path, status) in [
        ("/no-such-page", StatusCode::NOT_FOUND),
        (
            "/households/new?village=140581101201",
            StatusCode::NOT_FOUND,
        ),
        ("/households/abc", StatusCode::BAD_REQUEST),
        ("/households?page=x", StatusCode::BAD_REQUEST),
        ("/households/999999", StatusCode::NOT_FOUND),
        ("/units/140581101201", StatusCode::NOT_FOUND),
    ] {
        let r = t.get(path, &s).await;
        assert_eq!(r.status, status, "{path}: {}", r.body);
        let html = r
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        assert!(html, "{path}: not an HTML page");
        // The site's navigation (the account is signed in) and a Chinese explanation.
        assert!(r.body.contains("<nav"), "{path}: no navigation: {}", r.body);
        assert!(
            r.body.contains("href=\"/households\""),
            "{path}: {}",
            r.body
        );
        assert!(
            r.body.contains("返回首页") && !r.body.contains("Failed to deserialize"),
            "{path}: {}",
            r.body
        );
    }
    // A cadre's new household is in their village without saying so; an officer is told where
    // to start.
    let form = t.get("/households/new", &s).await;
    assert!(form.status == StatusCode::OK && form.body.contains("name=\"household_no\""));
    let officer = t.login("township").await;
    let told = t.get("/households/new", &officer).await;
    assert!(told.status == StatusCode::OK && told.body.contains("href=\"/households\""));
    // The icon browsers ask for is there (not a 404 page on every first visit).
    let icon = t
        .get_public("/favicon.ico")
        .await
        .expect_status(StatusCode::OK);
    assert!(icon.body.starts_with("<svg"));
    // Not signed in: unknown pages still answer a page (with the sign-in link), not nothing.
    let r = t
        .get_public("/no-such-page")
        .await
        .expect_status(StatusCode::NOT_FOUND);
    r.assert_contains(&["href=\"/login\""]);
}
both!(page_errors, page_errors_are_pages_with_a_way_on);
