//! Credit supermarket: many concurrent redemptions against a balance that covers only some of
//! them; balance and stock never go negative and agree with the passbook.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{households, shop};
use serde_json::json;
use testkit::{TestApp, VILLAGE_A};

async fn concurrent_redemptions(t: TestApp) {
    let (cadre, ids, goods) = shop(&t, 2).await;
    let h = ids[0];

    // 50 requests at once; 100 points pay for 14 of them (7 each).
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let router = t.router.clone();
        let token = cadre.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::post("/api/v1/credit/redemptions")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(
                    json!({"household_id": h, "goods_id": goods, "qty": 1}).to_string(),
                ))
                .unwrap();
            router.oneshot(req).await.unwrap().status().as_u16()
        }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            201 => ok += 1,
            409 => refused += 1,
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!((ok, refused), (14, 36));
    let balance = t
        .scalar(&format!(
            "SELECT balance FROM points_accounts WHERE household_id = {h}"
        ))
        .await;
    let stock = t
        .scalar(&format!(
            "SELECT stock FROM credit_goods WHERE id = {goods}"
        ))
        .await;
    assert_eq!((balance, stock), (2, 16));
    assert!(balance >= 0 && stock >= 0);
    let pb = t
        .api_json(&format!("/api/v1/households/{h}/passbook"), &cadre)
        .await;
    let entries = pb["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 15, "one adjustment and 14 redemptions");
    let sum: i64 = entries.iter().map(|e| e["amount"].as_i64().unwrap()).sum();
    assert_eq!(sum, balance, "the passbook adds up to the balance");
    let mut running = 0;
    let mut afters: Vec<i64> = entries
        .iter()
        .map(|e| e["balance_after"].as_i64().unwrap())
        .collect();
    for e in entries {
        running += e["amount"].as_i64().unwrap();
        assert!(e["balance_after"].as_i64().unwrap() >= 0);
    }
    assert_eq!(running, 2);
    afters.sort_unstable();
    afters.dedup();
    assert_eq!(
        afters.len(),
        15,
        "every movement left a distinct balance: no lost update"
    );
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM credit_redemptions").await,
        14
    );
    assert_eq!(
        t.scalar("SELECT CAST(COALESCE(SUM(qty), 0) AS BIGINT) FROM credit_redemptions")
            .await,
        30 - stock
    );

    // Stock is the limit when points are plenty: 16 left, a request for 17 is refused whole.
    let actor = t.actor("cadre_a").await;
    app::credit::points::adjust(&t.app, &actor, h, 1000, "补发")
        .await
        .unwrap();
    t.api_post(
        "/api/v1/credit/redemptions",
        &cadre,
        json!({"household_id": h, "goods_id": goods, "qty": 17}),
    )
    .await
    .expect_status(409);
    assert_eq!(
        t.scalar(&format!(
            "SELECT balance FROM points_accounts WHERE household_id = {h}"
        ))
        .await,
        1002,
        "points were not taken for a refused redemption"
    );

    // Another village's cadre cannot touch this household's points.
    t.api_post(
        "/api/v1/credit/redemptions",
        &t.token("cadre_b").await,
        json!({"household_id": h, "goods_id": goods, "qty": 1}),
    )
    .await
    .expect_status(404);
}
testkit::both!(
    points_never_negative_under_concurrency,
    concurrent_redemptions
);

/// Review finding 11: a hand adjustment beyond ±1,000,000,000 points (i64::MIN has no
/// negation) is refused naming `delta`, and nothing is written.
async fn adjustments_are_bounded(t: TestApp) {
    let h = households(&t, VILLAGE_A, 1).await[0];
    let actor = t.actor("cadre_a").await;
    for delta in [i64::MIN, -1_000_000_001, 1_000_000_001, i64::MAX] {
        match app::credit::points::adjust(&t.app, &actor, h, delta, "更正").await {
            Err(app::AppError::Invalid(f)) => assert_eq!(f[0].field, "delta", "{delta}"),
            other => panic!("{delta}: {other:?}"),
        }
    }
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'credit.points.adjust'";
    assert_eq!(t.scalar(audited).await, 0);
    let max = app::credit::points::MAX_ADJUST_POINTS;
    assert_eq!(
        app::credit::points::adjust(&t.app, &actor, h, max, "更正")
            .await
            .unwrap(),
        max
    );
    assert_eq!(
        app::credit::points::adjust(&t.app, &actor, h, -max, "更正")
            .await
            .unwrap(),
        0
    );
    assert_eq!(t.scalar(audited).await, 2);
}
testkit::both!(points_adjustment_bounded, adjustments_are_bounded);
