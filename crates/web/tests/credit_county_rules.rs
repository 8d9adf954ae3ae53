//! A rule set written the way a county writes it — its own aspects in Chinese, no English texts —
//! opens a round, scores households and shows the county's aspect names on the pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{households, steps};
use serde_json::json;
use testkit::{both, TestApp, VILLAGE_A};

const COUNTY_RULES: &str = r#"
name = "某县信用村评分细则"
base_score = 60
confirm_weight = 10
[grades]
AAA = 90
AA = 80
A = 70
[[item]]
code = "GY01"
aspect = "公益事业"
text = "参加义务劳动"
points = 3
cap = 9
[[item]]
code = "GY02"
aspect = "公益事业"
text = "捐资助学"
points = 5
[[item]]
code = "ZJ01"
aspect = "遵纪守法"
text = "无违法违纪记录"
points = 4
[[item]]
code = "ZJ02"
aspect = "遵纪守法"
text = "聚众赌博"
points = -8
"#;

async fn a_countys_own_chinese_aspects_open_a_round_and_score(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 2).await;
    let cadre = t.token("cadre_a").await;
    let opened = t
        .api_post(
            "/api/v1/credit/rounds",
            &cadre,
            json!({"unit": VILLAGE_A, "period": "2026年度", "rules": COUNTY_RULES}),
        )
        .await
        .expect_status(201);
    let round = opened.json()["round"].as_i64().unwrap();
    for (hid, code) in [
        (ids[0], "GY01"),
        (ids[0], "GY02"),
        (ids[0], "ZJ01"),
        (ids[1], "ZJ02"),
    ] {
        let r = t
            .api_post(&format!("/api/v1/credit/rounds/{round}/records"), &cadre, json!({"household_id": hid, "item_code": code, "occurred_on": "2026-05-01", "evidence": "村委会记录"}))
            .await;
        assert_eq!(r.status, 201, "{code}: {}", r.body);
        assert_eq!(r.json()["pending"], false, "{code} is below confirm_weight");
    }
    steps(&t, &cadre, round, &["assess"]).await;
    let good = t
        .api_get(
            &format!("/api/v1/credit/rounds/{round}/households/{}", ids[0]),
            &cadre,
        )
        .await
        .expect_status(200);
    let g = good.json();
    assert_eq!(g["assessed_score"], 72, "60 + 3 + 5 + 4: {g}");
    assert_eq!(g["assessed_grade"], "A");
    let bad = t
        .api_get(
            &format!("/api/v1/credit/rounds/{round}/households/{}", ids[1]),
            &cadre,
        )
        .await;
    assert_eq!(bad.json()["assessed_score"], 52, "{}", bad.body);
    // The household's credit page explains the score in the county's own aspect names, in
    // Chinese and in English (where the county gave no English, its Chinese text stands).
    let session = t.login("cadre_a").await;
    let page = t
        .page(
            &format!("/credit/rounds/{round}/households/{}", ids[0]),
            &session,
        )
        .await;
    for words in ["公益事业", "遵纪守法", "捐资助学", "72"] {
        assert!(page.body.contains(words), "{words} missing: {}", page.body);
    }
    // An item of an aspect the file never declared is still refused with its code named.
    let unknown = t
        .api_post(&format!("/api/v1/credit/rounds/{round}/records"), &cadre, json!({"household_id": ids[1], "item_code": "HR01", "occurred_on": "2026-05-01", "evidence": "x"}))
        .await.expect_status(422);
    unknown.assert_contains(&["HR01"]);
}

both!(
    county_rules,
    a_countys_own_chinese_aspects_open_a_round_and_score
);
