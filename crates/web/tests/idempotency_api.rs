//! `Idempotency-Key` on API POSTs: a retry with the same key replays the first answer and
//! writes nothing; a different request under the key is refused; no key behaves as before.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use credit_support::shop;
use serde_json::{json, Value};
use testkit::{both, Response, TestApp, VILLAGE_A};

async fn post_keyed(t: &TestApp, path: &str, token: &str, key: &str, body: Value) -> Response {
    t.send(
        Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", key)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

/// A keyed post the server answers 409 (the key is busy or its answer was lost): the message.
async fn conflict_message(
    t: &TestApp,
    path: &str,
    token: &str,
    key: &str,
    body: serde_json::Value,
) -> String {
    let r = post_keyed(t, path, token, key, body).await;
    r.expect_status(StatusCode::CONFLICT).error_message()
}

async fn debt(t: &TestApp, token: &str) -> (String, i64) {
    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    let r = t
        .api_post(
            &format!("{base}/debts"),
            token,
            json!({"debt_no": "ZW-9", "creditor": "信用社", "principal_yuan": "100"}),
        )
        .await
        .expect_status(StatusCode::CREATED);
    (
        format!("{base}/debts/{}/actions", r.json()["id"]),
        r.json()["id"].as_i64().unwrap(),
    )
}

fn repayment(yuan: &str) -> Value {
    json!({"method": "repayment", "amount_yuan": yuan, "acted_on": "2024-03-01"})
}

async fn debt_action_retried(t: TestApp) {
    let tok = t.token("accountant_a").await;
    let (actions, _) = debt(&t, &tok).await;
    let audit_before = t.count("audit_log").await;

    let first = post_keyed(&t, &actions, &tok, "pay-1", repayment("10"))
        .await
        .expect_status(StatusCode::CREATED);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let again = post_keyed(&t, &actions, &tok, "pay-1", repayment("10"))
        .await
        .expect_status(StatusCode::CREATED);
    assert_eq!(again.body, first.body, "the first answer, byte for byte");
    assert_eq!(
        again.headers.get(header::CONTENT_TYPE),
        first.headers.get(header::CONTENT_TYPE)
    );
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(t.count("debt_actions").await, 1, "one record written");
    assert_eq!(
        t.count("audit_log").await,
        audit_before + 1,
        "one audit entry"
    );

    // The same key with another amount is refused, naming the header; nothing is written.
    let other = post_keyed(&t, &actions, &tok, "pay-1", repayment("11"))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        other.json()["error"]["fields"][0]["field"],
        "Idempotency-Key"
    );
    assert_eq!(t.count("debt_actions").await, 1);

    // Another account's identical key is its own.
    let cadre = t.token("cadre_a").await;
    let theirs = post_keyed(&t, &actions, &cadre, "pay-1", repayment("10")).await;
    assert_ne!(
        theirs
            .headers
            .get("idempotent-replayed")
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );

    // No key: every POST writes, as before.
    let before = t.count("debt_actions").await;
    for _ in 0..2 {
        t.api_post(&actions, &tok, repayment("1"))
            .await
            .expect_status(StatusCode::CREATED);
    }
    assert_eq!(t.count("debt_actions").await, before + 2);

    // The kept body is not readable in the database (answers may name people).
    let kept: String = sqlx::query_scalar(
        "SELECT body FROM idempotency_keys WHERE idem_key = 'pay-1' AND status = 201",
    )
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    assert!(!kept.contains("amount") && !kept.contains('{'), "{kept}");
    // The write's own transaction marked the key written (what tells a retry after a crash).
    let written: i64 = sqlx::query_scalar(
        "SELECT written FROM idempotency_keys WHERE idem_key = 'pay-1' AND status = 201",
    )
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    assert_eq!(written, 1);
}
both!(a_retried_debt_action_writes_once, debt_action_retried);

async fn redemption_retried(t: TestApp) {
    let (cadre, ids, goods) = shop(&t, 1).await;
    let h = ids[0];
    let body = json!({"household_id": h, "goods_id": goods, "qty": 2});

    let first = post_keyed(
        &t,
        "/api/v1/credit/redemptions",
        &cadre,
        "redeem-7f",
        body.clone(),
    )
    .await
    .expect_status(201);
    let again = post_keyed(&t, "/api/v1/credit/redemptions", &cadre, "redeem-7f", body).await;
    assert_eq!((again.status, &again.body), (first.status, &first.body));
    assert_eq!(t.scalar("SELECT COUNT(*) FROM credit_redemptions").await, 1);
    let balance = format!("SELECT balance FROM points_accounts WHERE household_id = {h}");
    assert_eq!(t.scalar(&balance).await, 86, "points taken once");
    assert_eq!(
        t.scalar(&format!(
            "SELECT stock FROM credit_goods WHERE id = {goods}"
        ))
        .await,
        28
    );

    let more = json!({"household_id": h, "goods_id": goods, "qty": 3});
    post_keyed(&t, "/api/v1/credit/redemptions", &cadre, "redeem-7f", more)
        .await
        .expect_status(422);
    assert_eq!(t.scalar(&balance).await, 86);
}
both!(a_retried_redemption_writes_once, redemption_retried);

async fn failures_keep_nothing(t: TestApp) {
    let tok = t.token("accountant_a").await;
    let (actions, _) = debt(&t, &tok).await;
    // 200 yuan on a 100-yuan debt is refused; the key is given back, so the corrected request
    // under the same key runs.
    let refused = post_keyed(&t, &actions, &tok, "k-1", repayment("200")).await;
    assert!(refused.status.is_client_error(), "{}", refused.body);
    post_keyed(&t, &actions, &tok, "k-1", repayment("20"))
        .await
        .expect_status(StatusCode::CREATED);
    assert_eq!(t.count("debt_actions").await, 1);

    // Keys: 1..=255 printable ASCII, else 400 and nothing written.
    for bad in ["a".repeat(256), "a\tb".to_string()] {
        let r = post_keyed(&t, &actions, &tok, &bad, repayment("1"))
            .await
            .expect_status(StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["error"]["code"], "bad_request");
    }
    post_keyed(&t, &actions, &tok, &"k".repeat(255), repayment("1"))
        .await
        .expect_status(StatusCode::CREATED);
    assert_eq!(t.count("debt_actions").await, 2);

    // A key still held by a running request (its row inserted, no answer yet) → 409.
    let body = repayment("5");
    let fp = app::idempotency::fingerprint(&app::idempotency::KeyedRequest {
        key: "busy",
        method: "POST",
        path: &actions,
        query: None,
        multipart_boundary: None,
        body: body.to_string().as_bytes(),
    });
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'accountant_a'")
        .fetch_one(&t.app.db.pool)
        .await
        .unwrap();
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let scope = |key| store::idempotency::KeyScope {
        user_id,
        key,
        method: "POST",
        path: &actions,
    };
    let far = "2999-01-01T00:00:00.000Z";
    let this_server = app::idempotency::instance();
    let now = store::now_text();
    store::idempotency::claim(&mut conn, &scope("busy"), &fp, this_server, &now, far)
        .await
        .unwrap()
        .unwrap();
    let message = conflict_message(&t, &actions, &tok, "busy", body.clone()).await;
    assert!(message.contains("in progress"), "{message}");
    assert_eq!(t.count("debt_actions").await, 2);

    // Left by a server that died before writing (another process, long ago): taken over, run.
    let past = "2001-01-01T00:00:00.000Z";
    store::idempotency::claim(&mut conn, &scope("dead"), &fp, "dead-server", past, far)
        .await
        .unwrap()
        .unwrap();
    let r = post_keyed(&t, &actions, &tok, "dead", body.clone())
        .await
        .expect_status(StatusCode::CREATED);
    assert_eq!(t.count("debt_actions").await, 3);
    let again = post_keyed(&t, &actions, &tok, "dead", body.clone()).await;
    assert_eq!((again.status, &again.body), (r.status, &r.body));
    assert_eq!(t.count("debt_actions").await, 3);

    // Left by a server that died after its write committed: never run twice.
    let id = store::idempotency::claim(&mut conn, &scope("lost"), &fp, "dead-server", past, far)
        .await
        .unwrap()
        .unwrap();
    store::idempotency::mark_written(&mut conn, id)
        .await
        .unwrap();
    let message = conflict_message(&t, &actions, &tok, "lost", body.clone()).await;
    assert!(message.contains("answer was lost"), "{message}");
    assert_eq!(t.count("debt_actions").await, 3);

    // An expired key (even for another request) is free again, and expired keys are purged.
    store::idempotency::claim(&mut conn, &scope("old"), "other", this_server, past, past)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    post_keyed(&t, &actions, &tok, "old", body)
        .await
        .expect_status(StatusCode::CREATED);
    assert_eq!(t.count("debt_actions").await, 4);
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    store::idempotency::purge_expired(&mut conn, "2999-06-01T00:00:00.000Z")
        .await
        .unwrap();
    assert_eq!(t.count("idempotency_keys").await, 0);
}
both!(failed_requests_keep_no_key, failures_keep_nothing);

async fn household_create_retried(t: TestApp) {
    let tok = t.token("cadre_a").await;
    let body = json!({"village_code": VILLAGE_A, "household_no": "H-77", "head_name": "王五"});
    let first = post_keyed(&t, "/api/v1/households", &tok, "hh-77", body.clone())
        .await
        .expect_status(StatusCode::CREATED);
    let again = post_keyed(&t, "/api/v1/households", &tok, "hh-77", body).await;
    assert_eq!((again.status, &again.body), (first.status, &first.body));
    assert_eq!(t.count("households").await, 1);
    // The document declares the header on POSTs.
    let doc = t.api_json("/api/v1/openapi.json", &tok).await;
    assert_eq!(
        doc["components"]["parameters"]["IdempotencyKey"]["in"],
        "header"
    );
    let params = doc["paths"]["/api/v1/households"]["post"]["parameters"].to_string();
    assert!(params.contains("IdempotencyKey"), "{params}");
}
both!(
    a_retried_household_create_writes_once,
    household_create_retried
);

async fn concurrent_duplicates(t: TestApp) {
    let tok = t.token("accountant_a").await;
    let (actions, _) = debt(&t, &tok).await;
    // Eight copies of one request, same key, at once: one runs; the others are told it is in
    // progress or get its answer. Never two writes.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (router, tok, actions) = (t.router.clone(), tok.clone(), actions.clone());
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = Request::post(actions)
                .header(header::AUTHORIZATION, format!("Bearer {tok}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header("Idempotency-Key", "same-time")
                .body(Body::from(repayment("3").to_string()))
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            let status = res.status().as_u16();
            let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, String::from_utf8_lossy(&body).into_owned())
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            201 => created.push(body),
            409 => assert!(body.contains("in progress"), "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(!created.is_empty(), "one of the duplicates is written");
    assert!(created.iter().all(|b| *b == created[0]), "{created:?}");
    assert_eq!(
        t.count("debt_actions").await,
        1,
        "written once, never twice"
    );
}
both!(concurrent_duplicates_write_once, concurrent_duplicates);

/// A refusal that is audited in its own transaction (a resident ID registered outside the
/// actor's scope) wrote nothing: its key is given back, so the same key runs again — the same
/// request is refused afresh (not 409), the corrected one is written.
async fn refusal_on_record(t: TestApp) {
    let id = testkit::resident_id("14058119800101011");
    let cadre_a = t.token("cadre_a").await;
    t.household_with_member(&cadre_a, VILLAGE_A, "A1", "张三", &id)
        .await;
    let cadre_b = t.token("cadre_b").await;
    let r = t
        .new_household(
            &cadre_b,
            json!({"village_code": testkit::VILLAGE_B, "household_no": "B1", "head_name": "李四"}),
        )
        .await;
    let members = format!("/api/v1/households/{}/members", r.json()["id"]);
    let refused_body = json!({"name": "李五", "resident_id": id});
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'member.id_refused'";

    post_keyed(&t, &members, &cadre_b, "m-1", refused_body.clone())
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.scalar(audited).await, 1);
    assert_eq!(
        t.count("idempotency_keys").await,
        0,
        "the key is given back"
    );
    let again = post_keyed(&t, &members, &cadre_b, "m-1", refused_body)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    again.assert_contains(&["cannot be registered here"]);
    assert_eq!(t.scalar(audited).await, 2, "each attempt on record");

    let corrected =
        json!({"name": "李五", "resident_id": testkit::resident_id("14058119850202022")});
    post_keyed(&t, &members, &cadre_b, "m-1", corrected)
        .await
        .expect_status(StatusCode::CREATED);
    assert_eq!(t.count("members").await, 2);
}
both!(a_refused_request_keeps_no_key, refusal_on_record);

/// Review finding 8: a write transaction that marked the key and rolled back (as an aborted
/// PostgreSQL attempt does before `retry::once!` runs it again) leaves the committing attempt
/// to mark it afresh, so a crash afterwards still answers "carried out", never runs twice.
async fn mark_after_rollback(t: TestApp) {
    use app::idempotency::{self, Begin, KeyedRequest};
    let actor = t.actor("cadre_a").await;
    let req = KeyedRequest {
        key: "again",
        method: "POST",
        path: "/api/v1/test",
        query: None,
        multipart_boundary: None,
        body: b"{}",
    };
    let Begin::Proceed(claim) = idempotency::begin(&t.app, &actor, &req).await.unwrap() else {
        panic!("a fresh key is claimed");
    };
    let write = |commit: bool| {
        let (app, actor) = (t.app.clone(), actor.clone());
        async move {
            let mut tx = app.db.begin().await.unwrap();
            app::audit::record(
                &mut tx,
                &actor,
                "test.write",
                "test",
                1,
                VILLAGE_A,
                json!({}),
            )
            .await
            .unwrap();
            if commit {
                tx.commit().await.unwrap();
            } else {
                tx.rollback().await.unwrap();
            }
        }
    };
    idempotency::run_claimed(&claim, async {
        write(false).await;
        write(true).await;
    })
    .await;
    let written: i64 =
        sqlx::query_scalar("SELECT written FROM idempotency_keys WHERE idem_key = 'again'")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap();
    assert_eq!(written, 1, "the committed attempt marked the key");
}
both!(a_retried_attempt_marks_its_key, mark_after_rollback);
