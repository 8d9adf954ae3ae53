//! Shared set-up for the credit-village tests: households, grids, rounds.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use app::Actor;
use sqlx::Row;
use testkit::TestApp;

/// Imports `n` households `001..` into a village; returns their ids in household-number order.
pub async fn households(t: &TestApp, village: &str, n: usize) -> Vec<i64> {
    let mut csv = String::from("household_no,head_name,address\n");
    let surnames = ["张", "李", "王", "赵", "刘", "陈"];
    for i in 1..=n {
        csv.push_str(&format!(
            "{i:03},{}{}明,{}组\n",
            surnames[i % surnames.len()],
            ["三", "四", "小", "大"][i % 4],
            i % 5 + 1
        ));
    }
    app::registry::household_import::import(
        &t.app,
        &Actor::cli(),
        village,
        "hh.csv",
        csv.as_bytes(),
        false,
    )
    .await
    .expect("households import");
    ids(t, village).await
}

pub async fn ids(t: &TestApp, village: &str) -> Vec<i64> {
    sqlx::query("SELECT id FROM households WHERE village_code = $1 ORDER BY household_no")
        .bind(village)
        .fetch_all(&t.app.db.pool)
        .await
        .expect("ids")
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect()
}

/// A grid under the village holding `members`; returns its code.
pub async fn grid(t: &TestApp, village: &str, members: &[i64]) -> String {
    let g = app::registry::grids::create(&t.app, &Actor::cli(), village, "第一网格", "党员甲")
        .await
        .expect("grid");
    app::registry::grids::assign(&t.app, &Actor::cli(), Some(&g.code), members)
        .await
        .expect("assign");
    g.code
}

/// Opens a round on the default rules (through the API as `user`); returns its id.
pub async fn open_round(t: &TestApp, token: &str, unit: &str) -> i64 {
    let r = t
        .api_post(
            "/api/v1/credit/rounds",
            token,
            serde_json::json!({"unit": unit, "period": "2024年度"}),
        )
        .await
        .expect_status(201);
    r.json()["round"].as_i64().expect("round id")
}

/// Runs round steps (`assess`, `publish`, …) through the API, each expected to succeed.
pub async fn steps(t: &TestApp, token: &str, round: i64, steps: &[&str]) {
    for step in steps {
        let r = t
            .api_post(
                &format!("/api/v1/credit/rounds/{round}/{step}"),
                token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status, 200, "{step}: {}", r.body);
    }
}

/// `n` households in 陈区村 and a round of the village in publicity (opened, assessed and
/// published by cadre_a); returns cadre_a's token, the round and the household ids.
pub async fn round_in_publicity(t: &TestApp, n: usize) -> (String, i64, Vec<i64>) {
    let ids = households(t, testkit::VILLAGE_A, n).await;
    let cadre = t.token("cadre_a").await;
    let round = open_round(t, &cadre, testkit::VILLAGE_A).await;
    steps(t, &cadre, round, &["assess", "publish"]).await;
    (cadre, round, ids)
}

/// `n` households in 陈区村, the first given 100 points (开业赠送积分), and goods 洗衣粉 at 7
/// points with 30 in stock; returns cadre_a's token, the household ids and the goods id.
pub async fn shop(t: &TestApp, n: usize) -> (String, Vec<i64>, i64) {
    let ids = households(t, testkit::VILLAGE_A, n).await;
    let cadre = t.token("cadre_a").await;
    let actor = t.actor("cadre_a").await;
    app::credit::points::adjust(&t.app, &actor, ids[0], 100, "开业赠送积分")
        .await
        .expect("points");
    let g = t
        .api_post(
            "/api/v1/credit/goods",
            &cadre,
            serde_json::json!({"village_code": testkit::VILLAGE_A, "name": "洗衣粉", "price_points": 7, "stock": 30}),
        )
        .await
        .expect_status(201);
    let goods = g.json()["goods"].as_i64().expect("goods id");
    (cadre, ids, goods)
}

/// Runs round steps through the API as on a given day (`{"today": …}`, which only an
/// administrator's token may send), each expected to succeed.
pub async fn dated_steps(t: &TestApp, token: &str, round: i64, steps: &[(&str, &str)]) {
    for (step, today) in steps {
        let r = t
            .api_post(
                &format!("/api/v1/credit/rounds/{round}/{step}"),
                token,
                serde_json::json!({ "today": today }),
            )
            .await;
        assert_eq!(r.status, 200, "{step}: {}", r.body);
    }
}

/// Declares through the API how the token's holder stands to a household (`own`, `relation`).
pub async fn declare(t: &TestApp, token: &str, household: i64, kind: &str) -> testkit::Response {
    let body = serde_json::json!({"household_id": household, "kind": kind});
    t.api_post("/api/v1/credit/relations", token, body).await
}
