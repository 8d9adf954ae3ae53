//! Heavy records still waiting for a second recorder would silently not count once grades lock:
//! the final step refuses while any are pending, names how many, and goes ahead only when told
//! to leave them out — which the audit log records.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{households, open_round, steps};
use serde_json::json;
use testkit::{both, TestApp, VILLAGE_A};

async fn finalize_refuses_pending_records_unless_dropped(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 2).await;
    let cadre = t.token("cadre_a").await;
    let admin = t.token("admin").await;
    let round = open_round(&t, &cadre, VILLAGE_A).await;
    let r = t
        .api_post(&format!("/api/v1/credit/rounds/{round}/records"), &cadre, json!({"household_id": ids[0], "item_code": "HR01", "occurred_on": "2024-05-01", "evidence": "还款凭证"}))
        .await.expect_status(201);
    assert_eq!(
        r.json()["pending"],
        true,
        "HR01 (+10) needs a second recorder"
    );
    steps(&t, &cadre, round, &["assess", "publish"]).await;
    let after_publicity = (app::credit::today() + chrono::Duration::days(8)).to_string();
    let refused = t
        .api_post(
            &format!("/api/v1/credit/rounds/{round}/finalize"),
            &admin,
            json!({"today": after_publicity}),
        )
        .await
        .expect_status(409);
    assert!(refused.body.contains("1 heavy records") && refused.body.contains("drop_pending"));
    assert_eq!(
        t.scalar(&format!(
            "SELECT COUNT(*) FROM credit_rounds WHERE id = {round} AND stage = 'final'"
        ))
        .await,
        0
    );
    // The round page says so and offers the explicit way (publicity over by today's clock).
    t.execute(
        "UPDATE credit_rounds SET publicity_start = $1",
        &[&(app::credit::today() - chrono::Duration::days(30)).to_string()],
    )
    .await;
    let s = t.login("cadre_a").await;
    let page = t.get(&format!("/credit/rounds/{round}"), &s).await;
    page.assert_contains(&["id=\"finalize-why\"", "待第二人复核"]);
    page.assert_contains(&["name=\"drop_pending\" value=\"1\""]);
    let done = t
        .api_post(
            &format!("/api/v1/credit/rounds/{round}/finalize"),
            &admin,
            json!({"today": after_publicity, "drop_pending": true}),
        )
        .await
        .expect_status(200);
    assert_eq!(done.json()["stage"], "final");
    let audited: String =
        sqlx::query_scalar("SELECT summary FROM audit_log WHERE action = 'credit.round.finalize'")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap();
    assert!(
        audited.contains("\"pending_records_left_out\":1"),
        "{audited}"
    );
}
both!(
    finalize_pending,
    finalize_refuses_pending_records_unless_dropped
);
