//! The public credit page is served from memory: a strong `ETag` and 304 on `If-None-Match`,
//! and a changed page right after any write that changes what it shows — through this server
//! at once, through another process (the CLI writing the same database) within the check
//! interval. The objection form is its own page and never cached.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::body::Body;
use axum::http::{header, Method, Request};
use credit_support::{households, open_round, scalar, steps};
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

/// Three households, a round of the village in publicity; returns the round and the ids.
async fn in_publicity(t: &TestApp) -> (i64, Vec<i64>) {
    let ids = households(t, VILLAGE_A, 3).await;
    let cadre = t.token("cadre_a").await;
    let round = open_round(t, &cadre, VILLAGE_A).await;
    steps(t, &cadre, round, &["assess", "publish"]).await;
    (round, ids)
}

/// Files an objection the way a villager does: the form page for the token, then the post.
async fn object(t: &TestApp, household_no: &str, reason: &str) -> Response {
    let form = get(
        t,
        &format!("/public/villages/{VILLAGE_A}/credit/objection?household={household_no}"),
        None,
    )
    .await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(
        form.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store",
        "the form carries a per-visitor token: never stored"
    );
    assert!(form.body.contains(&format!("value=\"{household_no}\"")));
    let csrf = form.cookie("gr_public_csrf").expect("csrf cookie");
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("_csrf", csrf.as_str()),
            ("household_no", household_no),
            ("name", "刘村民"),
            ("contact", "13800001234"),
            ("reason", reason),
        ])
        .finish();
    t.send(
        Request::post(format!("/public/villages/{VILLAGE_A}/credit/objections"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("gr_public_csrf={csrf}"))
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn etag_and_not_modified(t: TestApp) {
    in_publicity(&t).await;
    let first = get(&t, &page_path(), None).await;
    assert_eq!(first.status, 200, "{}", first.body);
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
    assert!(first.body.contains("credit/objection?household=001"));

    let again = get(&t, &page_path(), None).await;
    assert_eq!((again.status.as_u16(), etag(&again)), (200, tag.clone()));
    assert_eq!(again.body, first.body, "the same bytes");

    let not_modified = get(&t, &page_path(), Some(&tag)).await;
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(etag(&not_modified), tag);
    let weak = get(&t, &page_path(), Some(&format!("\"x\", W/{tag}"))).await;
    assert_eq!(weak.status, 304, "a list and the weak form match too");
    let other = get(&t, &page_path(), Some("\"0123\"")).await;
    assert_eq!(other.status, 200);

    // English is its own entry with its own tag.
    let en = t
        .send(
            Request::get(page_path())
                .header("cookie", "__Host-gr_lang=en")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(en.status, 200);
    assert!(
        en.body.contains("credit assessment publicity"),
        "{}",
        en.body
    );
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
    let (round, ids) = in_publicity(&t).await;
    let before = get(&t, &page_path(), None).await;
    assert!(!before.body.contains("评议中"), "no objection yet");
    let tag = etag(&before);

    // A villager objects through the form page: the list shows it on the next load.
    let r = object(&t, "001", "修路义务劳动未记分").await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    assert_eq!(r.location(), format!("{}?flash=objection", page_path()));
    let flashed = get(&t, &r.location(), None).await;
    assert!(flashed.body.contains("异议已提交"), "{}", flashed.body);
    let after = get(&t, &page_path(), None).await;
    assert!(after.body.contains("评议中"), "{}", after.body);
    assert_ne!(etag(&after), tag, "a new ETag for new bytes");
    assert_eq!(get(&t, &page_path(), Some(&tag)).await.status, 200);

    // The review group answers through the API.
    let cadre = t.token("cadre_a").await;
    let id = scalar(&t, "SELECT id FROM credit_objections").await;
    let resolved = t
        .api(
            Method::POST,
            &format!("/api/v1/credit/objections/{id}/resolve"),
            &cadre,
            Some(json!({"decision": "uphold", "points": 3, "reason": "补记修路劳动"})),
        )
        .await;
    assert_eq!(resolved.status, 200, "{}", resolved.body);
    let answered = get(&t, &page_path(), None).await;
    assert!(
        answered.body.contains("补记修路劳动") && answered.body.contains("成立，已更正"),
        "{}",
        answered.body
    );

    // A cadre renames a household head: the masked name follows.
    let renamed = t
        .api(
            Method::PUT,
            &format!("/api/v1/households/{}", ids[1]),
            &cadre,
            Some(json!({"household_no": "002", "head_name": "钱多多"})),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let page = get(&t, &page_path(), None).await;
    assert!(page.body.contains("钱*多"), "{}", page.body);

    // A burst right after a write: every request waits for the one comparison or render and
    // none gets the page from before.
    let renamed = t
        .api(
            Method::PUT,
            &format!("/api/v1/households/{}", ids[1]),
            &cadre,
            Some(json!({"household_no": "002", "head_name": "周一二"})),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
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
    let f = t
        .api(
            Method::POST,
            &format!("/api/v1/credit/rounds/{round}/finalize"),
            &admin,
            Some(json!({"today": later.to_string()})),
        )
        .await;
    assert_eq!(f.status, 200, "{}", f.body);
    let closed = get(&t, &page_path(), None).await;
    assert!(closed.body.contains("没有正在公示"), "{}", closed.body);
}

async fn another_process_is_seen_within_the_interval(mut t: TestApp) {
    in_publicity(&t).await;
    let other = sqlx::AnyPool::connect(&t.db.url).await.unwrap();

    // With an hour between checks the page really comes from memory: a write by another
    // process stays unseen until this process commits anything, which makes the next
    // request compare versions.
    t.router = web::router_with(t.app.clone(), true, Duration::from_secs(3600));
    let cached = get(&t, &page_path(), None).await;
    assert!(cached.body.contains("李*明"), "{}", cached.body);
    sqlx::query("UPDATE units SET name = '陈区新村' WHERE code = $1")
        .bind(VILLAGE_A)
        .execute(&other)
        .await
        .unwrap();
    assert_eq!(etag(&get(&t, &page_path(), None).await), etag(&cached));
    t.token("cadre_a").await;
    let renamed = get(&t, &page_path(), None).await;
    assert!(renamed.body.contains("陈区新村"), "{}", renamed.body);

    // The check interval is shortened so the test waits 150 ms, not a second.
    t.router = web::router_with(t.app.clone(), true, Duration::from_millis(100));
    let before = get(&t, &page_path(), None).await;
    assert!(before.body.contains("李*明"), "{}", before.body);

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
    assert!(after.body.contains("孙*空"), "{}", after.body);
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
    sqlx::query("UPDATE credit_assessments SET score = 987")
        .execute(&other)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let scored = get(&t, &page_path(), None).await;
    assert!(scored.body.contains(">987</td>"), "{}", scored.body);

    // An objection answered by another process.
    let r = object(&t, "002", "不服").await;
    assert!(r.status.is_redirection(), "{}", r.body);
    sqlx::query("UPDATE credit_objections SET status = 'rejected', decision_reason = '评分无误'")
        .execute(&other)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let answered = get(&t, &page_path(), None).await;
    assert!(answered.body.contains("评分无误"), "{}", answered.body);
    other.close().await;
}

testkit::both!(etag_and_304, etag_and_not_modified);
testkit::both!(in_process_writes, changes_at_once_after_a_write_here);
testkit::both!(
    out_of_process_writes,
    another_process_is_seen_within_the_interval
);
