//! The transparency log end to end: finalising a round publishes each village's final grades as
//! a log entry; the public endpoints serve a signed checkpoint, the entry's exact bytes and
//! proofs that verify with the domain's RFC 9162 code; a grade changed behind the application's
//! back is found by the audit; log rows refuse changes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use base64::Engine;
use credit_support::{households, open_round, steps};
use domain::transparency::merkle::{self, Hash};
use domain::transparency::note::{self, Checkpoint, VerifierKey};
use serde_json::json;
use testkit::{both, TestApp, VILLAGE_A, VILLAGE_A2};

fn hashes(v: &serde_json::Value) -> Vec<Hash> {
    v["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let b = base64::engine::general_purpose::STANDARD
                .decode(h.as_str().unwrap())
                .unwrap();
            Hash::try_from(b).unwrap()
        })
        .collect()
}

/// Opens, assesses, publishes and finalises a round of `village` with two households.
async fn final_round(t: &TestApp, village: &str) -> i64 {
    households(t, village, 2).await;
    let cadre = t.token("admin").await;
    let round = open_round(t, &cadre, village).await;
    steps(t, &cadre, round, &["assess", "publish"]).await;
    let after = (app::credit::today() + chrono::Duration::days(8)).to_string();
    t.api_post(
        &format!("/api/v1/credit/rounds/{round}/finalize"),
        &cadre,
        json!({"today": after}),
    )
    .await
    .expect_status(200);
    round
}

/// Eight checkpoint requests at once.
async fn futures_join(t: &TestApp) -> Vec<(u16, String)> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let router = t.router.clone();
        set.spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::get("/public/log/checkpoint")
                .body(axum::body::Body::empty())
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            let status = res.status().as_u16();
            let body = http_body_util::BodyExt::collect(res.into_body())
                .await
                .unwrap();
            (status, String::from_utf8(body.to_bytes().to_vec()).unwrap())
        });
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        out.push(r.unwrap());
    }
    out
}

async fn checkpoint(t: &TestApp, key: &VerifierKey) -> Checkpoint {
    let r = t
        .get_public("/public/log/checkpoint")
        .await
        .expect_status(200);
    let (text, names) = note::open(&r.body, std::slice::from_ref(key)).unwrap();
    assert_eq!(names, vec![key.name.clone()]);
    Checkpoint::parse(&text).unwrap()
}

async fn final_grades_are_logged_and_proven(t: TestApp) {
    let key_text = t.get_public("/public/log/key").await.body;
    let key = VerifierKey::parse(key_text.trim()).unwrap();
    let empty = checkpoint(&t, &key).await;
    assert_eq!((empty.size, empty.root), (0, merkle::EMPTY_ROOT));

    let first = final_round(&t, VILLAGE_A).await;
    let one = checkpoint(&t, &key).await;
    assert_eq!(one.size, 1, "one village, one entry");
    let leaf = t
        .get_public("/public/log/entries/0")
        .await
        .expect_status(200);
    let published: serde_json::Value = serde_json::from_str(&leaf.body).unwrap();
    assert_eq!(
        (
            published["kind"].as_str(),
            published["round"].as_i64(),
            published["unit"].as_str()
        ),
        (Some("credit.final"), Some(first), Some(VILLAGE_A))
    );
    assert_eq!(published["households"], 2);
    // Grades are not public after publicity: the leaf commits to the list by its digest and
    // names no household; whoever holds the list recomputes the digest.
    assert!(
        !leaf.body.contains("\"no\"") && !leaf.body.contains("household_id"),
        "{}",
        leaf.body
    );
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let list = app::transparency::final_grades(&mut conn, first, VILLAGE_A)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(list.len(), 2);
    assert_eq!(
        published["list_sha256"].as_str(),
        Some(app::transparency::list_digest(&list).unwrap().as_str())
    );
    assert_eq!(
        merkle::leaf_hash(leaf.body.as_bytes()),
        one.root,
        "a one-entry root is its leaf"
    );

    let second = final_round(&t, VILLAGE_A2).await;
    // Many readers at once (a QR code on a notice board): every one gets the same signed
    // checkpoint, none waits for or takes the write turn in a way that fails.
    let many = futures_join(&t).await;
    assert!(many.iter().all(|(s, _)| *s == 200), "{many:?}");
    assert!(
        many.windows(2).all(|w| w[0].1 == w[1].1),
        "one checkpoint for one size"
    );
    assert_ne!(first, second);
    let two = checkpoint(&t, &key).await;
    assert_eq!(two.size, 2);
    for index in 0..2u64 {
        let r = t
            .get_public(&format!("/public/log/proof/inclusion?index={index}&size=2"))
            .await
            .expect_status(200);
        let bytes = t
            .get_public(&format!("/public/log/entries/{index}"))
            .await
            .body;
        let leaf = merkle::leaf_hash(bytes.as_bytes());
        merkle::verify_inclusion(index, 2, &leaf, &hashes(&r.json()), &two.root).unwrap();
    }
    let r = t
        .get_public("/public/log/proof/consistency?from=1&to=2")
        .await
        .expect_status(200);
    merkle::verify_consistency(1, 2, &hashes(&r.json()), &one.root, &two.root).unwrap();

    // Hostile or impossible requests are 400s with a reason, never 500.
    for bad in [
        "/public/log/entries/abc",
        "/public/log/entries/-1",
        "/public/log/proof/inclusion?index=5&size=2",
        "/public/log/proof/inclusion?index=0&size=99",
        "/public/log/proof/inclusion?index=x&size=2",
        "/public/log/proof/consistency?from=2&to=1",
    ] {
        let r = t.get_public(bad).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    t.get_public("/public/log/entries/7")
        .await
        .expect_status(404);
    t.get_public("/public/log/entries/9223372036854775808")
        .await
        .expect_status_because(404, "beyond any index: not found, not a database refusal");

    // The audit agrees with the log; then a final grade edited behind the application's back
    // is named, and log rows refuse changes outright.
    let clean = app::transparency::audit(&t.app).await.unwrap();
    assert_eq!(
        (clean.entries, clean.checkpoints, clean.problem),
        (2, 3, None)
    );
    sqlx::query("UPDATE credit_assessments SET grade = 'AAA', score = 99 WHERE round_id = $1")
        .bind(second)
        .execute(&t.app.db.pool)
        .await
        .unwrap();
    let found = app::transparency::audit(&t.app).await.unwrap();
    let problem = found.problem.expect("the edit is found");
    assert!(
        problem.starts_with("entry 1:") && problem.contains("holds 2 households {\"AAA\":2}"),
        "{problem}"
    );
    for sql in [
        "UPDATE log_entries SET leaf = '{}'",
        "DELETE FROM log_nodes",
        "UPDATE log_checkpoints SET note = ''",
        "UPDATE log_state SET size = 0",
        "DELETE FROM log_state",
    ] {
        assert!(
            sqlx::query(sql).execute(&t.app.db.pool).await.is_err(),
            "{sql}"
        );
    }
}
both!(final_grades_logged, final_grades_are_logged_and_proven);

/// Finalisations of several villages at once: each gets its own log index (no duplicate, no
/// gap, no 5xx), and the log still audits clean — on both engines.
async fn parallel_finalisations_get_distinct_indexes(t: TestApp) {
    let villages = [VILLAGE_A, VILLAGE_A2, testkit::VILLAGE_B];
    let admin = t.token("admin").await;
    let mut rounds = Vec::new();
    for v in villages {
        households(&t, v, 2).await;
        let round = open_round(&t, &admin, v).await;
        steps(&t, &admin, round, &["assess", "publish"]).await;
        rounds.push(round);
    }
    let after = (app::credit::today() + chrono::Duration::days(8)).to_string();
    let mut set = tokio::task::JoinSet::new();
    for round in rounds.clone() {
        let (router, admin, after) = (t.router.clone(), admin.clone(), after.clone());
        set.spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::post(format!("/api/v1/credit/rounds/{round}/finalize"))
                .header("authorization", format!("Bearer {admin}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(json!({"today": after}).to_string()))
                .unwrap();
            router.oneshot(req).await.unwrap().status().as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = set.join_next().await {
        statuses.push(s.unwrap());
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let mut refs: Vec<i64> = Vec::new();
    for index in 0..3u64 {
        let e = app::transparency::entry(&t.app, index).await.unwrap();
        assert_eq!(e.index, index);
        refs.push(e.ref_id.unwrap());
    }
    refs.sort();
    let mut want = rounds;
    want.sort();
    assert_eq!(refs, want, "one entry per round, none twice");
    assert!(
        app::transparency::entry(&t.app, 3).await.is_err(),
        "no fourth entry"
    );
    let audit = app::transparency::audit(&t.app).await.unwrap();
    assert_eq!((audit.entries, audit.problem), (3, None));
}
both!(
    parallel_finalisations,
    parallel_finalisations_get_distinct_indexes
);

/// A correction after final is a log entry of its own (committing to it without publishing the
/// grade); the audit finds a correction edited behind the application's back.
async fn corrections_after_final_are_logged(t: TestApp) {
    let round = final_round(&t, VILLAGE_A).await;
    let hh: i64 = sqlx::query_scalar::<_, i64>(
        "SELECT id FROM households WHERE village_code = $1 ORDER BY household_no",
    )
    .bind(VILLAGE_A)
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    let admin = t.token("admin").await;
    let before = t.count("log_entries").await;
    let r = t
        .api_post(
            &format!("/api/v1/credit/rounds/{round}/households/{hh}/corrections"),
            &admin,
            json!({"grade": "AA", "reason": "异议成立，复核改为 AA"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(t.count("log_entries").await, before + 1);
    let leaf: serde_json::Value = serde_json::from_str(
        &t.get_public(&format!("/public/log/entries/{before}"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(leaf["kind"], "credit.correction");
    assert_eq!(leaf["round"], round);
    assert!(
        leaf.get("grade").is_none(),
        "the grade itself is not published: {leaf}"
    );
    assert_eq!(
        app::transparency::audit(&t.app).await.unwrap().problem,
        None
    );
    sqlx::query("UPDATE credit_corrections SET grade = 'AAA'")
        .execute(&t.app.db.pool)
        .await
        .unwrap();
    let problem = app::transparency::audit(&t.app)
        .await
        .unwrap()
        .problem
        .unwrap();
    assert!(
        problem.contains("credit correction") && problem.contains("changed"),
        "{problem}"
    );
}
both!(corrections_logged, corrections_after_final_are_logged);
