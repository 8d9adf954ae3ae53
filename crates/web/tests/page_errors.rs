//! Every 4xx a person can meet on a page is a page in the site's shell, in their language, with
//! a way on — never an empty body or a framework's plain-text message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
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

fn request(method: &str, path: &str, headers: &[(header::HeaderName, &str)]) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        r = r.header(k, *v);
    }
    r.body(Body::empty()).unwrap()
}

/// Unknown addresses under `/api` answer the API's JSON, not a page; the site's other refusals
/// (a method a page does not take) are pages of the site with a way back where the reader came
/// from — a page of this site only.
async fn every_refusal_has_its_form_and_a_way_back(t: TestApp) {
    for path in ["/api", "/api/v2/households", "/api/nothing"] {
        let r = t.send(request("GET", path, &[])).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        let e = &r.json()["error"];
        assert_eq!(e["code"], "not_found", "{path}: {}", r.body);
        assert!(e["message_zh"].as_str().unwrap().contains("接口"), "{e}");
    }
    let s = t.login("cadre_a").await;
    let cookie = s.cookie_header();
    let r = t
        .send(request("PUT", "/households", &[(header::COOKIE, &cookie)]))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        r.body.contains("<nav") && r.body.contains("此地址不接受这种操作"),
        "{}",
        r.body
    );
    assert!(r
        .headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().unwrap().starts_with("text/html")));

    let came = |referer: &'static str| {
        request(
            "GET",
            "/households/999999",
            &[
                (header::COOKIE, &cookie),
                (header::HOST, "village.example"),
                (header::REFERER, referer),
            ],
        )
    };
    let r = t
        .send(came("http://village.example/households?page=2"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.body.contains("<nav") && r.body.contains("返回上一页"),
        "{}",
        r.body
    );
    assert!(r.body.contains("href=\"/households?page=2\""), "{}", r.body);
    for elsewhere in [
        "http://evil.example/households",
        "http://village.example/households/999999",
        "javascript:alert(1)",
    ] {
        let r = t.send(came(elsewhere)).await;
        assert!(!r.body.contains("返回上一页"), "{elsewhere}: {}", r.body);
        assert!(r.body.contains("返回首页"));
    }
    // A reader of English meets the same page in English, its way back included.
    let english = format!("{cookie}; {}=en", testkit::LANG_COOKIE);
    let r = t
        .send(request(
            "GET",
            "/households/999999",
            &[
                (header::COOKIE, &english),
                (header::HOST, "village.example"),
                (header::REFERER, "http://village.example/households"),
            ],
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("household 999999 not found"), "{}", r.body);
    assert!(
        r.body.contains(">Back<") && !r.body.contains("没有找到"),
        "{}",
        r.body
    );
}
both!(refusals_way_back, every_refusal_has_its_form_and_a_way_back);

/// A browser that prefers English, not signed in, meets an English page with the sign-in link.
async fn unknown_pages_speak_the_browsers_language(t: TestApp) {
    let r = t
        .send(request(
            "GET",
            "/no-such-page",
            &[(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,zh;q=0.5")],
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<html lang=\"en\""), "{}", r.body);
    assert!(r.body.contains("Not found") && r.body.contains("href=\"/login\""));
    assert!(!r.body.contains("没有找到"), "{}", r.body);
}
both!(unknown_page_en, unknown_pages_speak_the_browsers_language);
