//! Scope: every account sees and touches only its unit subtree, on pages and the API alike.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use serde_json::json;
use std::sync::atomic::{AtomicU32, Ordering};
use testkit::{both, resident_id, TestApp, VILLAGE_A, VILLAGE_A2, VILLAGE_B};

static NEXT: AtomicU32 = AtomicU32::new(1);

async fn household(t: &TestApp, village: &str, no: &str, head: &str) -> i64 {
    let token = t.token("admin").await;
    let res = t
        .new_household(&token, json!({"village_code": village, "household_no": no, "head_name": head, "members": [{"name": head, "relation": "户主", "resident_id": resident_id(&format!("14058119800101{:03}", NEXT.fetch_add(1, Ordering::Relaxed))), "phone": "13812345678"}]})).await;
    res.json()["id"].as_i64().unwrap()
}

async fn village_cadre_sees_only_own_village(t: TestApp) {
    let a = household(&t, VILLAGE_A, "A1", "张三明").await;
    let b = household(&t, VILLAGE_B, "B12", "李四").await;

    // Pages.
    let s = t.login("cadre_a").await;
    let own = t.page(&format!("/households/{a}"), &s).await;
    own.assert_contains(&["张三明"]);
    assert!(
        own.body.contains("1405*************"),
        "resident ID masked on the file page"
    );
    assert!(
        !own.body.contains("19800101"),
        "birth digits of the ID never shown"
    );
    own.assert_contains(&["138****5678"]);
    let other = t
        .get(&format!("/households/{b}"), &s)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    other.assert_lacks(&["李四"]);
    t.get(&format!("/households?unit={VILLAGE_B}"), &s)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    t.post_form(
        &format!("/households/{b}"),
        &s,
        &[("household_no", "B12"), ("head_name", "王五")],
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    t.get(&format!("/units/{VILLAGE_B}"), &s)
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // API.
    let token = t.token("cadre_a").await;
    t.api_get(&format!("/api/v1/households/{a}"), &token)
        .await
        .expect_status(StatusCode::OK);
    let res = t
        .api_get(&format!("/api/v1/households/{b}"), &token)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert_eq!(res.json()["error"]["code"], "not_found");
    t.put_household(&token, b, "B12", "王五")
        .await
        .expect_status(StatusCode::NOT_FOUND);
    t.api_delete(&format!("/api/v1/households/{b}"), &token)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    t.api_get(&format!("/api/v1/units/{VILLAGE_B}"), &token)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let res = t
        .api_post(
            "/api/v1/households",
            &token,
            json!({"village_code": VILLAGE_B, "household_no": "X1", "head_name": "赵六"}),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::NOT_FOUND,
        "cannot create in another village: {}",
        res.body
    );
    // The other village's household is untouched.
    let admin = t.token("admin").await;
    assert_eq!(
        t.api_json(&format!("/api/v1/households/{b}"), &admin).await["head_name"],
        "李四"
    );
    // The list without a unit is the cadre's own village only.
    let list = t.api_json("/api/v1/households", &token).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], a);
}
both!(village_cadre_sees_only_own_village);

async fn township_officer_sees_its_villages_only(t: TestApp) {
    household(&t, VILLAGE_A, "A1", "张一").await;
    household(&t, VILLAGE_A2, "A2-1", "张二").await;
    let b = household(&t, VILLAGE_B, "B1", "张三").await;
    let token = t.token("township").await;
    let list = t.api_json("/api/v1/households", &token).await;
    let villages: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["village_code"].as_str().unwrap())
        .collect();
    assert_eq!(list["total"], 2);
    assert!(villages.contains(&VILLAGE_A) && villages.contains(&VILLAGE_A2));
    t.api_get(&format!("/api/v1/households/{b}"), &token)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let children = t.api_json("/api/v1/units/140581104/children", &token).await;
    assert!(children
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["code"].as_str().unwrap().starts_with("140581104")));
    t.api_get("/api/v1/units/140581101", &token)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    // Across a township a name matches from its start and needs two characters: a lone
    // surname is refused with the reason, not answered by reading every household.
    let short = t
        .api_get("/api/v1/households?q=张", &token)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    short.assert_contains(&["\"q\""]);
    let found = t.api_json("/api/v1/households?q=张二", &token).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["village_code"], VILLAGE_A2);
    // County officer sees all three; 张三 of the other township by name.
    let county = t.token("county").await;
    assert_eq!(t.api_json("/api/v1/households", &county).await["total"], 3);
    let found = t.api_json("/api/v1/households?q=张三", &county).await;
    assert_eq!(
        (found["total"].as_i64(), found["items"][0]["id"].as_i64()),
        (Some(1), Some(b))
    );
    // The dashboard counts only the township's households.
    let s = t.login("township").await;
    let dash = t.page("/", &s).await;
    dash.assert_contains(&["陈区村委会"]);
    dash.assert_lacks(&["米西村委会"]);
    // On the page a refused search says why next to the box, with the list empty.
    let posted = t.post_form("/households", &s, &[("q", "张")]).await;
    let page = t.page(&posted.location(), &s).await;
    page.assert_contains(&["id=\"q-error\""]);
    page.assert_lacks(&["张一"]);
    let posted = t.post_form("/households", &s, &[("q", "张二")]).await;
    let page = t.get(&posted.location(), &s).await;
    assert!(page.body.contains("张二") && !page.body.contains("张一"));
}
both!(township_officer_sees_its_villages_only);

async fn bank_officer_is_read_only_and_grid_member_sees_its_grid(t: TestApp) {
    let a = household(&t, VILLAGE_A, "A1", "张一").await;
    let a2 = household(&t, VILLAGE_A, "A2", "张二").await;
    let bank = t.token("bank").await;
    // Banks read only files of households that consented to share (issue 7).
    t.api_get(&format!("/api/v1/households/{a}"), &bank)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let cadre = t.token("cadre_a").await;
    let res = t
        .api_put(&format!("/api/v1/households/{a}/credit-profile"), &cadre, json!({"labour": 2, "industry": "", "income_band": "", "loans": "", "repayment": "", "consent_to_share": true}))
        .await;
    assert!(res.status.is_success(), "{}", res.body);
    t.api_get(&format!("/api/v1/households/{a}"), &bank)
        .await
        .expect_status(StatusCode::OK);
    t.put_household(&bank, a, "A1", "改名")
        .await
        .expect_status(StatusCode::FORBIDDEN);
    t.api_post(
        &format!("/api/v1/households/{a}/members/1/reveal"),
        &bank,
        json!({"what": "resident_id"}),
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);

    // A grid with one household; its grid member sees that household and not the other.
    let admin = t.token("admin").await;
    let grid = json!({"name": "第一网格", "leader": "王党员"});
    let grid = t.new_grid(&admin, VILLAGE_A, grid).await;
    let grid_code = grid["code"].as_str().unwrap().to_string();
    assert_eq!(grid_code, format!("{VILLAGE_A}001"));
    assert_eq!(grid["level"], "grid");
    t.api_put(
        &format!("/api/v1/households/{a}/grid"),
        &admin,
        json!({"grid_code": grid_code}),
    )
    .await
    .expect_status(StatusCode::OK);
    t.add_account("gridder", domain::access::Role::GridMember, &grid_code)
        .await;
    let g = t.token("gridder").await;
    let list = t.api_json("/api/v1/households", &g).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], a);
    t.api_get(&format!("/api/v1/households/{a2}"), &g)
        .await
        .expect_status(StatusCode::NOT_FOUND);
}
both!(
    bank_officer_is_read_only_and_grid_member_sees_its_grid,
    bank_officer_is_read_only_and_grid_member_sees_its_grid
);

/// Later pages of a township's or the whole list start in the village the kept per-village
/// counts point to: every page holds exactly the rows of the plain (village, number) order,
/// across village borders, and a page past the end is empty with the same total.
async fn later_pages_follow_the_plain_order(t: TestApp) {
    let mut expected = Vec::new();
    for (village, n) in [(VILLAGE_B, 3), (VILLAGE_A, 4), (VILLAGE_A2, 2)] {
        for i in 0..n {
            let no = format!("P{i:02}");
            household(&t, village, &no, &format!("户主{village}{i}")).await;
            expected.push((village.to_string(), no));
        }
    }
    expected.sort();
    let token = t.token("admin").await;
    let township: Vec<_> = expected
        .iter()
        .filter(|(v, _)| v.starts_with("140581104"))
        .cloned()
        .collect();
    for (unit, all) in [("", &expected), ("140581104", &township)] {
        for per_page in [1usize, 2, 3, 4] {
            for page in 1..=all.len().div_ceil(per_page) + 1 {
                let res = t
                    .api_get(
                        &format!("/api/v1/households?unit={unit}&page={page}&per_page={per_page}"),
                        &token,
                    )
                    .await;
                assert_eq!(res.status, StatusCode::OK, "{}", res.body);
                let body = res.json();
                assert_eq!(body["total"].as_i64(), Some(all.len() as i64), "{body}");
                let got: Vec<(String, String)> = body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| {
                        (
                            h["village_code"].as_str().unwrap().to_string(),
                            h["household_no"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                let want: Vec<_> = all
                    .iter()
                    .skip((page - 1) * per_page)
                    .take(per_page)
                    .cloned()
                    .collect();
                assert_eq!(got, want, "unit {unit:?} page {page} of {per_page}");
            }
        }
    }
}
both!(
    later_pages_follow_the_plain_order,
    later_pages_follow_the_plain_order
);
