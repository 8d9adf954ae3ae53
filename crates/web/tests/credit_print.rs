//! The printed AAA list: the AAA households of the latest final round, the date it was
//! made, and signature lines for the preparer, the reviewer and the supervisory committee.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::round_in_publicity;
use serde_json::json;
use testkit::{TestApp, VILLAGE_A, VILLAGE_B};

async fn aaa_print(t: TestApp) {
    let (_, round, ids) = round_in_publicity(&t, 3).await;
    let later = (app::credit::today() + chrono::Duration::days(8)).to_string();
    t.api_post(
        &format!("/api/v1/credit/rounds/{round}/finalize"),
        &t.token("admin").await,
        json!({"today": later}),
    )
    .await
    .expect_status(200);
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
    let p = t.page(&link, &s).await;
    let rows = p.body.matches("<td data-label=\"户号\">").count();
    assert_eq!(rows, 1, "only the AAA household");
    p.assert_contains(&[">002</td>"]);
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
    t.get(&format!("/credit/units/{VILLAGE_B}/aaa"), &s)
        .await
        .expect_status(404);
    // Accountants do not handle credit.
    let acc = t.login("accountant_a").await;
    t.get(&link, &acc).await.expect_status(403);
}
testkit::both!(aaa_list_prints_with_signatures, aaa_print);
