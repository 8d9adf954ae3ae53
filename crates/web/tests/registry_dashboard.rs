//! The dashboard's per-unit figures come from one grouped query: each row must still count
//! exactly the households and people of that unit, at every level of the tree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::Method;
use axum::http::StatusCode;
use serde_json::json;
use std::sync::atomic::{AtomicU32, Ordering};
use testkit::{both, resident_id, TestApp, VILLAGE_A, VILLAGE_A2, VILLAGE_B};

static NEXT: AtomicU32 = AtomicU32::new(1);

async fn household(t: &TestApp, village: &str, no: &str, members: usize) {
    let token = t.token("admin").await;
    let ms: Vec<_> = (0..members)
        .map(|i| {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            json!({"name": format!("成员{n}"), "relation": if i == 0 { "户主" } else { "子女" },
                   "resident_id": resident_id(&format!("14058119800101{n:03}"))})
        })
        .collect();
    t.new_household(
        &token,
        json!({"village_code": village, "household_no": no, "head_name": "户主", "members": ms}),
    )
    .await;
}

/// The (households, people) cells of the dashboard row linking to `/units/{code}`.
fn row_figures(body: &str, code: &str) -> Option<(i64, i64)> {
    let start = body.find(&format!("href=\"/units/{code}\""))?;
    let row = &body[start..];
    let row = &row[..row.find("</tr>")?];
    let cells: Vec<i64> = row
        .split("<td>")
        .filter_map(|c| c.split("</td>").next())
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    match cells[..] {
        [.., h, m] => Some((h, m)),
        _ => None,
    }
}

async fn dashboard_rows_count_each_unit(t: TestApp) {
    household(&t, VILLAGE_A, "A1", 3).await;
    household(&t, VILLAGE_A, "A2", 1).await;
    household(&t, VILLAGE_A2, "W1", 2).await;
    household(&t, VILLAGE_B, "B1", 4).await;

    let s = t.login("township").await;
    let body = t.get("/", &s).await.body;
    assert_eq!(row_figures(&body, VILLAGE_A), Some((2, 4)), "{body}");
    assert_eq!(row_figures(&body, VILLAGE_A2), Some((1, 2)));
    assert_eq!(
        row_figures(&body, VILLAGE_B),
        None,
        "another township's village"
    );

    let s = t.login("county").await;
    let body = t.get("/", &s).await.body;
    assert_eq!(row_figures(&body, "140581104"), Some((3, 6)), "{body}");
    assert_eq!(row_figures(&body, "140581101"), Some((1, 4)));

    let s = t.login("admin").await;
    let body = t.get("/", &s).await.body;
    assert_eq!(row_figures(&body, "14"), Some((4, 10)), "{body}");
}
both!(dashboard_rows_count_each_unit);

/// People figures come from each household's stored member count: adding and removing
/// members (one by one, or a household deleted) keeps it equal to the members there are.
async fn people_follow_member_changes(t: TestApp) {
    household(&t, VILLAGE_A, "C1", 2).await;
    let token = t.token("admin").await;
    let list = t
        .api_get(&format!("/api/v1/households?unit={VILLAGE_A}&q=C1"), &token)
        .await;
    let id = list.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("household id in {}", list.body));
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    t.api_post(
        &format!("/api/v1/households/{id}/members"),
        &token,
        json!({"name": "新成员", "relation": "子女",
                "resident_id": resident_id(&format!("14058119900101{n:03}"))}),
    )
    .await
    .expect_status(StatusCode::CREATED);
    let s = t.login("township").await;
    let body = t.get("/", &s).await.body;
    assert_eq!(row_figures(&body, VILLAGE_A), Some((1, 3)), "{body}");

    let file = t.api_get(&format!("/api/v1/households/{id}"), &token).await;
    let mid = file.json()["members"][0]["id"].as_i64().expect("member id");
    let gone = t
        .api_delete(&format!("/api/v1/households/{id}/members/{mid}"), &token)
        .await;
    assert!(gone.status.is_success(), "{}", gone.body);
    let body = t.get("/", &s).await.body;
    assert_eq!(row_figures(&body, VILLAGE_A), Some((1, 2)), "{body}");

    household(&t, VILLAGE_A, "C2", 4).await;
    let body = t.get("/", &s).await.body;
    assert_eq!(row_figures(&body, VILLAGE_A), Some((2, 6)), "{body}");
    // The stored counts equal the members there are, household by household.
    let drift: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM households h WHERE h.member_count <> \
         (SELECT COUNT(*) FROM members m WHERE m.household_id = h.id)",
    )
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    assert_eq!(drift, 0);
    // A deleted household leaves the kept per-village counts (what a township or county
    // dashboard sums) equal to a recount.
    let gone = t
        .api_delete(&format!("/api/v1/households/{id}"), &token)
        .await;
    assert!(gone.status.is_success(), "{}", gone.body);
    let body = t.get("/", &s).await.body;
    assert_eq!(row_figures(&body, VILLAGE_A), Some((1, 4)), "{body}");
    let drift: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM village_counts v WHERE v.households <> \
         (SELECT COUNT(*) FROM households h WHERE h.village_code = v.village_code) \
         OR v.members <> (SELECT COUNT(*) FROM members m JOIN households h ON h.id = m.household_id \
         WHERE h.village_code = v.village_code)",
    )
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    assert_eq!(drift, 0);
}
both!(people_follow_member_changes);

/// A county's units per level come from kept counts (migration 20): a new grid and micro-grid
/// are counted at once, and the kept figures equal a recount of the units.
async fn county_levels_follow_new_grids(t: TestApp) {
    let s = t.login("county").await;
    let stat = |body: &str, label: &str| -> Option<i64> {
        let at = body.find(&format!("<span>{label}</span>"))?;
        let rest = &body[at..];
        let b = rest.find("<b>")? + 3;
        rest[b..b + rest[b..].find("</b>")?].trim().parse().ok()
    };
    let before = t.get("/", &s).await.body;
    let token = t.token("admin").await;
    let grid = t
        .api(
            Method::POST,
            &format!("/api/v1/units/{VILLAGE_A}/grids"),
            &token,
            Some(json!({"name": "一网格"})),
        )
        .await
        .json();
    let res = t
        .api(
            Method::POST,
            &format!("/api/v1/units/{}/grids", grid["code"].as_str().unwrap()),
            &token,
            Some(json!({"name": "一-1"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let after = t.get("/", &s).await.body;
    for label in ["网格", "微网格"] {
        assert_eq!(
            stat(&after, label).unwrap_or(0),
            stat(&before, label).unwrap_or(0) + 1,
            "{label}: {after}"
        );
    }
    let drift: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT SUBSTR(code, 1, 6) AS county, level, COUNT(*) AS n \
         FROM units WHERE LENGTH(code) > 6 GROUP BY SUBSTR(code, 1, 6), level) r \
         LEFT JOIN county_level_counts k ON k.county = r.county AND k.level = r.level \
         WHERE k.n IS NULL OR k.n <> r.n",
    )
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    assert_eq!(drift, 0);
}
both!(
    county_levels_follow_new_grids,
    county_levels_follow_new_grids
);
