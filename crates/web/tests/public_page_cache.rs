//! The public credit page is served from memory: a strong `ETag` and 304 on `If-None-Match`,
//! and a changed page right after any write that changes what it shows — through this server
//! at once, through another process (the CLI writing the same database) within the check
//! interval. The objection form is its own page and never cached.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::body::Body;
use axum::http::{header, Request};
use credit_support::round_in_publicity;
use serde_json::json;
use std::time::Duration;
use testkit::{Response, TestApp, VILLAGE_A};

fn page_path() -> String {
    format!("/public/villages/{VILLAGE_A}/credit")
}

async fn get(t: &TestApp, path: &str, if_none_match: Option<&str>) -> Response {
    let mut req = Request::get(path);
    if let Some(tag) = if_none_match {
        req = req.header(header::IF_NONE_MATCH, tag);
    }
    t.send(req.body(Body::empty()).unwrap()).await
}

fn etag(r: &Response) -> String {
    r.headers
        .get(header::ETAG)
        .expect("ETag")
        .to_str()
        .unwrap()
        .to_string()
}

/// Files an objection the way a villager does: the form page for the token, then the post.
async fn object(t: &TestApp, household_no: &str, reason: &str) -> Response {
    let form = get(
        t,
        &format!("/public/villages/{VILLAGE_A}/credit/objection?household={household_no}"),
        None,
    )
    .await
    .expect_status(200);
    assert_eq!(
        form.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store",
        "the form carries a per-visitor token: never stored"
    );
    assert!(form.body.contains(&format!("value=\"{household_no}\"")));
    let csrf = form.cookie("gr_public_csrf").expect("csrf cookie");
    t.post_objection(VILLAGE_A, &csrf, household_no, "13800001234", reason)
        .await
}

/// Runs `sql` through another process's connection, then reads the public page a moment later.
async fn page_after_write_elsewhere(t: &TestApp, other: &sqlx::AnyPool, sql: &str) -> Response {
    sqlx::query(sql).execute(other).await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    get(t, &page_path(), None).await
}

async fn etag_and_not_modified(t: TestApp) {
    round_in_publicity(&t, 3).await;
    let first = get(&t, &page_path(), None).await.expect_status(200);
    let tag = etag(&first);
    assert!(tag.starts_with('"') && tag.len() == 34, "strong: {tag}");
    let h = &first.headers;
    assert_eq!(
        h.get(header::CACHE_CONTROL).unwrap(),
        "public, max-age=0, must-revalidate"
    );
    assert_eq!(h.get(header::VARY).unwrap(), "Cookie, Accept-Language");
    assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert!(h.get(header::CONTENT_SECURITY_POLICY).is_some());
    assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_some());
    assert!(h.get(header::SET_COOKIE).is_none(), "nothing per visitor");
    first.assert_contains(&["credit/objection?household=001"]);

    let again = get(&t, &page_path(), None).await;
    assert_eq!((again.status.as_u16(), etag(&again)), (200, tag.clone()));
    assert_eq!(again.body, first.body, "the same bytes");

    let not_modified = get(&t, &page_path(), Some(&tag)).await.expect_status(304);
    assert!(not_modified.body.is_empty());
    assert_eq!(etag(&not_modified), tag);
    get(&t, &page_path(), Some(&format!("\"x\", W/{tag}")))
        .await
        .expect_status_because(304, "a list and the weak form match too");
    get(&t, &page_path(), Some("\"0123\""))
        .await
        .expect_status(200);

    // English is its own entry with its own tag.
    let en = t
        .send(
            Request::get(page_path())
                .header("cookie", "__Host-gr_lang=en")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .expect_status(200);
    en.assert_contains(&["credit assessment publicity"]);
    assert_ne!(etag(&en), tag);

    // Unknown villages are not cached pages: 404, stored nowhere.
    for code in ["140581104299", "abc"] {
        let r = get(&t, &format!("/public/villages/{code}/credit"), None).await;
        assert_eq!(r.status, 404, "{code}");
        assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        assert!(r.headers.get(header::ETAG).is_none());
    }
}

async fn changes_at_once_after_a_write_here(t: TestApp) {
    let (_, round, ids) = round_in_publicity(&t, 3).await;
    let before = get(&t, &page_path(), None).await;
    assert!(!before.body.contains("评议中"), "no objection yet");
    let tag = etag(&before);

    // A villager objects through the form page: the list shows it on the next load.
    let r = object(&t, "001", "修路义务劳动未记分").await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    assert_eq!(r.location(), format!("{}?flash=objection", page_path()));
    let flashed = get(&t, &r.location(), None).await;
    flashed.assert_contains(&["异议已提交"]);
    let after = get(&t, &page_path(), None).await;
    after.assert_contains(&["评议中"]);
    assert_ne!(etag(&after), tag, "a new ETag for new bytes");
    assert_eq!(get(&t, &page_path(), Some(&tag)).await.status, 200);

    // The review group answers through the API.
    let cadre = t.token("cadre_a").await;
    let id = t.scalar("SELECT id FROM credit_objections").await;
    t.api_post(
        &format!("/api/v1/credit/objections/{id}/resolve"),
        &cadre,
        json!({"decision": "uphold", "points": 3, "reason": "补记修路劳动"}),
    )
    .await
    .expect_status(200);
    let answered = get(&t, &page_path(), None).await;
    assert!(
        answered.body.contains("补记修路劳动") && answered.body.contains("成立，已更正"),
        "{}",
        answered.body
    );

    // A cadre renames a household head: the masked name follows.
    t.put_household(&cadre, ids[1], "002", "钱多多")
        .await
        .expect_status(200);
    let page = get(&t, &page_path(), None).await;
    page.assert_contains(&["钱*多"]);

    // A burst right after a write: every request waits for the one comparison or render and
    // none gets the page from before.
    t.put_household(&cadre, ids[1], "002", "周一二")
        .await
        .expect_status(200);
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let router = t.router.clone();
        burst.spawn(async move {
            use tower::ServiceExt;
            let res = router
                .oneshot(Request::get(page_path()).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
                .await
                .unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        });
    }
    while let Some(body) = burst.join_next().await {
        let body = body.unwrap();
        assert!(body.contains("周*二") && !body.contains("钱*多"), "{body}");
    }

    // Final: the page no longer lists the round.
    let admin = t.token("admin").await;
    let mut later = app::credit::today();
    for _ in 0..8 {
        later = later.succ_opt().unwrap();
    }
    t.api_post(
        &format!("/api/v1/credit/rounds/{round}/finalize"),
        &admin,
        json!({"today": later.to_string()}),
    )
    .await
    .expect_status(200);
    let closed = get(&t, &page_path(), None).await;
    closed.assert_contains(&["没有正在公示"]);
}

async fn another_process_is_seen_within_the_interval(mut t: TestApp) {
    round_in_publicity(&t, 3).await;
    let other = sqlx::AnyPool::connect(&t.db.url).await.unwrap();

    // With an hour between checks the page really comes from memory: a write by another
    // process stays unseen until this process commits anything, which makes the next
    // request compare versions.
    t.router = web::router_with(t.app.clone(), true, Duration::from_secs(3600));
    let cached = get(&t, &page_path(), None).await;
    cached.assert_contains(&["李*明"]);
    sqlx::query("UPDATE units SET name = '陈区新村' WHERE code = $1")
        .bind(VILLAGE_A)
        .execute(&other)
        .await
        .unwrap();
    assert_eq!(etag(&get(&t, &page_path(), None).await), etag(&cached));
    t.token("cadre_a").await;
    let renamed = get(&t, &page_path(), None).await;
    renamed.assert_contains(&["陈区新村"]);

    // The check interval is shortened so the test waits 150 ms, not a second.
    t.router = web::router_with(t.app.clone(), true, Duration::from_millis(100));
    let before = get(&t, &page_path(), None).await;
    before.assert_contains(&["李*明"]);

    // The CLI writes through its own connection: nothing in this process knows.
    let version = |pool: sqlx::AnyPool| async move {
        use sqlx::Row;
        sqlx::query("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM public_page_versions")
            .fetch_one(&pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    };
    let v0 = version(other.clone()).await;
    sqlx::query(
        "UPDATE households SET head_name = '孙悟空' WHERE village_code = $1 AND household_no = '001'",
    )
    .bind(VILLAGE_A)
    .execute(&other)
    .await
    .unwrap();
    assert!(version(other.clone()).await > v0, "the trigger bumped it");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let after = get(&t, &page_path(), None).await;
    after.assert_contains(&["孙*空"]);
    assert_ne!(etag(&after), etag(&before));

    // A write the page does not show moves no version: same bytes, same tag.
    let v1 = version(other.clone()).await;
    sqlx::query("UPDATE households SET notes = 'x' WHERE village_code = $1")
        .bind(VILLAGE_A)
        .execute(&other)
        .await
        .unwrap();
    assert_eq!(version(other.clone()).await, v1);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(etag(&get(&t, &page_path(), None).await), etag(&after));

    // A score corrected by hand in the database.
    let sql = "UPDATE credit_assessments SET score = 987";
    let scored = page_after_write_elsewhere(&t, &other, sql).await;
    scored.assert_contains(&[">987</td>"]);

    // An objection answered by another process.
    let r = object(&t, "002", "不服").await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let sql = "UPDATE credit_objections SET status = 'rejected', decision_reason = '评分无误'";
    let answered = page_after_write_elsewhere(&t, &other, sql).await;
    answered.assert_contains(&["评分无误"]);
    other.close().await;
}

testkit::both!(etag_and_304, etag_and_not_modified);
testkit::both!(in_process_writes, changes_at_once_after_a_write_here);
testkit::both!(
    out_of_process_writes,
    another_process_is_seen_within_the_interval
);
