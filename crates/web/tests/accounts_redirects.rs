//! Issue 7, finding 2: user-supplied "come back to" targets (`/lang?back=`, the login form's
//! `next`) only ever lead to a path on this site, and a bad one never answers 500.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use testkit::{both, TestApp, PASSWORD};

const OFF_SITE: [&str; 8] = [
    "/%09/evil.example",
    "//evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%0d%0aX",
    "/%0d%0aSet-Cookie:%20x=1",
    "https://evil.example",
    "/%252f/evil.example",
];

async fn language_switch_only_goes_back_to_this_site(t: TestApp) {
    for back in OFF_SITE {
        let res = t.get_public(&format!("/lang?to=en&back={back}")).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "back={back}: {}",
            res.body
        );
        assert_eq!(res.location(), "/", "back={back}");
    }
    let res = t
        .get_public("/lang?to=en&back=%2Fhouseholds%3Fpage%3D2")
        .await;
    assert_eq!(res.location(), "/households?page=2");
}
both!(language_switch_only_goes_back_to_this_site);

async fn login_next_only_goes_to_this_site(t: TestApp) {
    let page = t
        .get_public("/login?next=/%09/evil.example")
        .await
        .expect_status(StatusCode::OK);
    assert!(!page.body.contains("evil.example"), "next kept in the form");
    for next in [
        "/\t/evil.example",
        "//evil",
        "/\\evil",
        "/\r\nX",
        "/%0d%0aX",
    ] {
        let res = t.try_login_next("cadre_a", PASSWORD, next).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "next={next:?}: {}",
            res.body
        );
        assert_eq!(res.location(), "/", "next={next:?}");
    }
    let res = t.try_login_next("cadre_a", PASSWORD, "/households").await;
    assert_eq!(res.location(), "/households");
    // A wrong password re-renders the form: the bad target is not echoed there either.
    let res = t
        .try_login_next("cadre_a", "wrong-password", "//evil")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
    res.assert_lacks(&["//evil"]);
}
both!(login_next_only_goes_to_this_site);
