//! The printed AAA list: the AAA households of the latest final round, the date it was
//! made, and signature lines for the preparer, the reviewer and the supervisory committee.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::http::Method;
use credit_support::{households, open_round, steps};
use serde_json::json;
use testkit::{TestApp, VILLAGE_A, VILLAGE_B};

async fn aaa_print(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 3).await;
    let cadre = t.token("cadre_a").await;
    let round = open_round(&t, &cadre, VILLAGE_A).await;
    steps(&t, &cadre, round, &["assess", "publish"]).await;
    let later = (app::credit::today() + chrono::Duration::days(8)).to_string();
    let f = t
        .api(
            Method::POST,
            &format!("/api/v1/credit/rounds/{round}/finalize"),
            &t.token("admin").await,
            Some(json!({"today": later})),
        )
        .await;
    assert_eq!(f.status, 200, "{}", f.body);
    // One household AAA after review.
    app::credit::objections::correct(
        &t.app,
        &t.actor("admin").await,
        round,
        ids[1],
        0,
        Some("AAA"),
        "复核后调整",
        app::credit::today(),
    )
    .await
    .unwrap();

    let s = t.login("cadre_a").await;
    let home = t.get("/credit", &s).await;
    let link = format!("/credit/units/{VILLAGE_A}/aaa");
    assert!(
        home.body.contains(&link),
        "the credit home links the print view"
    );
    let p = t.get(&link, &s).await;
    assert_eq!(p.status, 200, "{}", p.body);
    let rows = p.body.matches("<td data-label=\"户号\">").count();
    assert_eq!(rows, 1, "only the AAA household");
    assert!(p.body.contains(">002</td>"), "{}", p.body);
    assert!(p
        .body
        .contains(&format!("制表日期 {}", app::credit::today())));
    for line in ["制表人：", "审核人：", "村务监督委员会：", "日期："] {
        assert!(p.body.contains(line), "{line}");
    }
    assert!(
        p.body.contains("@media print"),
        "prints without the navigation"
    );
    // Someone else's village: not found, as everywhere.
    let other = t.get(&format!("/credit/units/{VILLAGE_B}/aaa"), &s).await;
    assert_eq!(other.status, 404);
    // Accountants do not handle credit.
    let acc = t.login("accountant_a").await;
    assert_eq!(t.get(&link, &acc).await.status, 403);
}
testkit::both!(aaa_list_prints_with_signatures, aaa_print);
