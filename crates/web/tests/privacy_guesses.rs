//! Review findings 1 and 3: a role that may not see a field cannot learn it by guessing.
//! A year-only role editing a member gets the same answer whatever birth date it types (the
//! stored date is kept), and a bank officer may not filter households by tags it is not shown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use serde_json::json;
use testkit::{both, resident_id, TestApp, VILLAGE_A};

/// The accountant (birth year only) sends a wrong and then the right birth date with the ID
/// left empty or sent back masked: every answer is the same 200, and the date never changes.
async fn typed_birth_dates_are_no_oracle_for_year_only_roles(t: TestApp) {
    let id = resident_id("14058119621205007");
    let cadre = t.token("cadre_a").await;
    let (hid, mid) = t
        .household_with_member(&cadre, VILLAGE_A, "A1", "张三", &id)
        .await;
    let masked = format!("1405*************{}", &id[17..]);
    let acc = t.token("accountant_a").await;
    let path = format!("/api/v1/households/{hid}/members/{mid}");
    let mut answers = Vec::new();
    for (typed_id, guess) in [
        ("", "1962-01-01"),
        ("", "1962-12-05"),
        (masked.as_str(), "1970-03-03"),
        (masked.as_str(), "1962-12-05"),
    ] {
        let body = json!({"name": "张三", "relation": "户主", "birth_date": guess,
            "resident_id": typed_id, "phone": ""});
        let r = t.api_put(&path, &acc, body).await;
        answers.push((r.status, r.json()));
    }
    assert_eq!(answers[0].0, StatusCode::OK, "{}", answers[0].1);
    assert_eq!(answers[0].1["members"][0]["birth_year"], 1962);
    assert!(answers[0].1["members"][0]["birth_date"].is_null());
    for a in &answers[1..] {
        assert_eq!(a, &answers[0], "the answer depends on the guess");
    }
    let stored = sqlx::query_scalar::<_, String>("SELECT birth_date FROM members WHERE id = $1")
        .bind(mid)
        .fetch_one(&t.app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, "1962-12-05");
    // A role that sees the full date still has a wrong date refused against the ID.
    let r = t
        .api_put(
            &path,
            &cadre,
            json!({"name": "张三", "birth_date": "1962-01-01", "resident_id": "", "phone": ""}),
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "birth_date");
}
both!(typed_birth_dates_are_no_oracle_for_year_only_roles);

/// Two consenting households, one 低保户: the bank officer's tag filter is refused (422 naming
/// `tag`) on both list routes and the page offers none; a cadre's filter still works.
async fn banks_cannot_filter_by_hidden_tags(t: TestApp) {
    let cadre = t.token("cadre_a").await;
    for (no, tags) in [("A1", "low_income"), ("A2", "")] {
        let r = t
            .new_household(
                &cadre,
                json!({"village_code": VILLAGE_A, "household_no": no, "head_name": "李四",
                    "tags": tags, "members": []}),
            )
            .await;
        let hid = r.json()["id"].as_i64().unwrap();
        t
            .api_put(&format!("/api/v1/households/{hid}/credit-profile"), &cadre, json!({"labour": 2, "industry": "养殖", "income_band": "3-5万", "consent_to_share": true}))
            .await.expect_status(StatusCode::OK);
    }
    let tagged = t
        .scalar("SELECT COUNT(*) FROM households WHERE tags LIKE '%low_income%'")
        .await;
    assert_eq!(tagged, 1);
    let bank = t.token("bank").await;
    let all = t
        .api_get("/api/v1/households", &bank)
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(all.json()["total"], 2);
    let refused = [
        t.api_get("/api/v1/households?tag=low_income", &bank).await,
        t.api_post("/api/v1/households/search", &bank, json!({"tag": "低保户"}))
            .await,
    ];
    for r in &refused {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["fields"][0]["field"], "tag", "{}", r.body);
    }
    let s = t.login("bank").await;
    let page = t.page("/households", &s).await;
    assert!(
        !page.body.contains("name=\"tag\""),
        "the page offers a tag filter"
    );
    let r = t
        .api_get("/api/v1/households?tag=low_income", &cadre)
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(r.json()["total"], 1);
}
both!(banks_cannot_filter_by_hidden_tags);

/// A bank may not see resident IDs, so it cannot look a person up by one either: a full ID typed
/// in the search finds nothing for the bank, while a cadre finds the household.
async fn banks_cannot_search_by_resident_id(t: TestApp) {
    let cadre = t.token("cadre_a").await;
    let id = resident_id("14058119700101031");
    let (hid, _) = t
        .household_with_member(&cadre, VILLAGE_A, "S1", "王五", &id)
        .await;
    t.api_put(
        &format!("/api/v1/households/{hid}/credit-profile"),
        &cadre,
        json!({"labour": 2, "industry": "养殖", "income_band": "3-5万", "consent_to_share": true}),
    )
    .await
    .expect_status(StatusCode::OK);
    let search = |token: String| {
        let t = &t;
        let id = id.clone();
        async move {
            let r = t
                .api_post("/api/v1/households/search", &token, json!({"q": id}))
                .await
                .expect_status(StatusCode::OK);
            r.json()["total"].as_i64().unwrap()
        }
    };
    assert_eq!(
        search(cadre.clone()).await,
        1,
        "a cadre finds the household by ID"
    );
    assert_eq!(
        search(t.token("bank").await).await,
        0,
        "a bank learns nothing"
    );
}
both!(banks_cannot_search_by_resident_id);
