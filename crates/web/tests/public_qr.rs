//! The printable QR code of a village's public page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use testkit::{Backend, TestApp, VILLAGE_A};

#[tokio::test]
async fn a_village_public_page_has_a_qr_code() {
    let t = TestApp::new(Backend::Sqlite).await.unwrap();
    let res = t
        .send(
            Request::get(format!("/public/villages/{VILLAGE_A}/credit/qr.svg"))
                .header(header::HOST, "gr.example.cn")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(
        res.headers.get(header::CONTENT_TYPE).unwrap(),
        "image/svg+xml"
    );
    assert!(
        res.body.starts_with("<?xml") && res.body.contains("<svg"),
        "{}",
        &res.body[..80.min(res.body.len())]
    );
    t.get_public("/public/villages/abc/credit/qr.svg")
        .await
        .expect_status(StatusCode::NOT_FOUND);
}
