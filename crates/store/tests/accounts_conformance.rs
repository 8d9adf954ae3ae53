//! Store conformance for accounts, the audit log, idempotency keys and public-page versions: the
//! store's own functions, called directly, behave the same on SQLite and PostgreSQL (each test
//! on a fresh database of each engine, through testkit's `both!`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use store::accounts::sessions::{self, Liveness, SessionRow};
use store::accounts::{tokens, users};
use store::audit::{self, AuditEntry, AuditFilter};
use store::idempotency::{self, KeyScope, StoredResponse};
use store::StoreError;
use testkit::fixtures::insert_round;
use testkit::{both, TestApp, VILLAGE_A, VILLAGE_B};

fn user(name: &str, unit: Option<&str>) -> users::UserRow {
    users::UserRow {
        id: 0,
        username: name.into(),
        display_name: format!("{name} 显示名"),
        password_hash: "$argon2id$placeholder".into(),
        role: "village_cadre".into(),
        unit_code: unit.map(str::to_string),
        active: true,
    }
}

async fn users_sessions_and_tokens(t: TestApp) {
    let mut c = t.app.db.pool.acquire().await.unwrap();
    let id = users::insert(&mut c, &user("conf_a", Some(VILLAGE_A)))
        .await
        .unwrap();
    // A taken username is a conflict, not a driver error, on both engines.
    let again = users::insert(&mut c, &user("conf_a", Some(VILLAGE_B))).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let got = users::by_username(&mut c, "conf_a").await.unwrap().unwrap();
    assert_eq!((got.id, got.unit_code.as_deref()), (id, Some(VILLAGE_A)));
    assert_eq!(
        users::by_id(&mut c, id).await.unwrap().unwrap().username,
        "conf_a"
    );
    assert!(users::by_username(&mut c, "nobody")
        .await
        .unwrap()
        .is_none());
    // Subtree listing: a village's accounts are inside its township, not inside another village.
    let in_village: Vec<String> = users::list_in(&mut c, VILLAGE_A)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert!(in_village.contains(&"conf_a".to_string()), "{in_village:?}");
    assert!(!users::list_in(&mut c, VILLAGE_B)
        .await
        .unwrap()
        .iter()
        .any(|u| u.username == "conf_a"));
    assert_eq!(
        users::set_password(&mut c, id, "new-hash").await.unwrap(),
        1
    );
    assert_eq!(
        users::by_id(&mut c, id)
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "new-hash"
    );

    // Login failures count per pair and per address, and clear per pair.
    for ip in ["10.0.0.1", "10.0.0.1", "10.0.0.2"] {
        users::record_failure(&mut c, "conf_a", ip).await.unwrap();
    }
    users::record_failure(&mut c, "other", "10.0.0.1")
        .await
        .unwrap();
    let since = "2000-01-01T00:00:00Z";
    assert_eq!(
        users::failures_of_pair(&mut c, "conf_a", "10.0.0.1", since)
            .await
            .unwrap()
            .count,
        2
    );
    assert_eq!(
        users::failures_from(&mut c, "10.0.0.1", since)
            .await
            .unwrap()
            .count,
        3
    );
    users::clear_failures(&mut c, "conf_a", "10.0.0.1")
        .await
        .unwrap();
    assert_eq!(
        users::failures_from(&mut c, "10.0.0.1", since)
            .await
            .unwrap()
            .count,
        1
    );
    let future = "2999-01-01T00:00:00Z";
    assert_eq!(
        users::failures_from(&mut c, "10.0.0.2", future)
            .await
            .unwrap()
            .count,
        0
    );

    // Sessions: live within every bound, gone outside any.
    let s = SessionRow {
        token_hash: "sess-hash-1".into(),
        user_id: id,
        csrf_token: "csrf".into(),
        expires_at: "2999-01-01T00:00:00Z".into(),
        created_at: String::new(),
        last_seen_at: String::new(),
    };
    sessions::insert(&mut c, &s, "10.0.0.9").await.unwrap();
    let live = Liveness {
        now: store::now_text(),
        created_after: since.into(),
        seen_after: since.into(),
    };
    assert_eq!(
        sessions::get_live(&mut c, "sess-hash-1", &live)
            .await
            .unwrap()
            .unwrap()
            .user_id,
        id
    );
    let idle = Liveness {
        seen_after: future.into(),
        ..live.clone()
    };
    assert!(sessions::get_live(&mut c, "sess-hash-1", &idle)
        .await
        .unwrap()
        .is_none());
    // Touch writes once per interval: a second touch within it changes nothing.
    assert_eq!(
        sessions::touch(&mut c, "sess-hash-1", future)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        sessions::touch(&mut c, "sess-hash-1", since).await.unwrap(),
        0
    );
    let keep = SessionRow {
        token_hash: "sess-hash-2".into(),
        ..s.clone()
    };
    sessions::insert(&mut c, &keep, "10.0.0.9").await.unwrap();
    assert_eq!(
        sessions::delete_for_user(&mut c, id, Some("sess-hash-2"))
            .await
            .unwrap(),
        1
    );
    assert!(sessions::get_live(&mut c, "sess-hash-2", &live)
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        sessions::delete_expired(&mut c, future).await.unwrap(),
        1,
        "idle past `future`"
    );

    // Tokens: expiry bounds, one-query authentication, touch at most once per interval.
    let tid = tokens::insert(
        &mut c,
        id,
        "手机",
        "tok-hash-1",
        Some("2999-01-01T00:00:00Z"),
    )
    .await
    .unwrap();
    tokens::insert(
        &mut c,
        id,
        "过期",
        "tok-hash-2",
        Some("2001-01-01T00:00:00Z"),
    )
    .await
    .unwrap();
    let dup = tokens::insert(&mut c, id, "重复", "tok-hash-1", None).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    assert_eq!(
        tokens::user_of(&mut c, "tok-hash-1", since)
            .await
            .unwrap()
            .unwrap()
            .user_id,
        id
    );
    assert!(
        tokens::user_of(&mut c, "tok-hash-2", since)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    let (tok, u) = tokens::live_user_of(&mut c, "tok-hash-1", since)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (tok.user_id, u.username.as_str(), tok.last_used_at),
        (id, "conf_a", None)
    );
    assert_eq!(tokens::touch(&mut c, "tok-hash-1", since).await.unwrap(), 1);
    assert_eq!(tokens::touch(&mut c, "tok-hash-1", since).await.unwrap(), 0);
    assert!(tokens::get(&mut c, tid)
        .await
        .unwrap()
        .unwrap()
        .last_used_at
        .is_some());
    let listed = tokens::list_for_user(&mut c, id).await.unwrap();
    assert_eq!(
        listed.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["过期", "手机"]
    );
    assert_eq!(tokens::delete(&mut c, tid).await.unwrap(), 1);
    assert_eq!(tokens::delete_for_user(&mut c, id).await.unwrap(), 1);
    assert!(tokens::list_for_user(&mut c, id).await.unwrap().is_empty());
}
both!(users_sessions_tokens, users_sessions_and_tokens);

async fn audit_log_filters_and_stays_append_only(t: TestApp) {
    let mut c = t.app.db.pool.acquire().await.unwrap();
    let everything = AuditFilter {
        limit: 10,
        ..Default::default()
    };
    let (_, before) = audit::list(&mut c, &everything).await.unwrap();
    for (i, (unit, action)) in [
        (VILLAGE_A, "household.create"),
        (VILLAGE_A, "member.update"),
        (VILLAGE_B, "household.create"),
    ]
    .into_iter()
    .enumerate()
    {
        audit::append(
            &mut c,
            &AuditEntry {
                at: format!("2026-06-0{}T08:00:00Z", i + 1),
                actor_name: "conf_actor".into(),
                action: action.into(),
                entity_type: "household".into(),
                entity_id: format!("{i}"),
                unit_code: unit.into(),
                summary: format!("{{\"note\":\"第{i}条 100%_done\"}}"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let all = AuditFilter {
        actor: Some("conf_actor".into()),
        limit: 50,
        ..Default::default()
    };
    let (rows, total) = audit::list(&mut c, &all).await.unwrap();
    assert_eq!(total, 3);
    assert_eq!(rows[0].entity_id, "2", "newest first");
    // Each filter alone, with the count it finds (text search treats % and _ literally,
    // an escaped LIKE, on both engines).
    let filters = [
        (
            "scoped",
            AuditFilter {
                unit_prefix: VILLAGE_A.into(),
                ..all.clone()
            },
            2,
        ),
        (
            "by action",
            AuditFilter {
                action: Some("household.create".into()),
                ..all.clone()
            },
            2,
        ),
        (
            "text",
            AuditFilter {
                text: Some("第1条 100%_".into()),
                ..all.clone()
            },
            1,
        ),
        (
            "text, no wildcard",
            AuditFilter {
                text: Some("100%x".into()),
                ..all.clone()
            },
            0,
        ),
    ];
    for (what, filter, expected) in filters {
        assert_eq!(
            audit::list(&mut c, &filter).await.unwrap().1,
            expected,
            "{what}"
        );
    }
    let window = AuditFilter {
        from: Some("2026-06-02T00:00:00Z".into()),
        to: Some("2026-06-03T00:00:00Z".into()),
        ..all.clone()
    };
    let (rows, n) = audit::list(&mut c, &window).await.unwrap();
    assert_eq!((n, rows[0].action.as_str()), (1, "member.update"));
    let page = AuditFilter {
        offset: 1,
        limit: 1,
        ..all.clone()
    };
    let (rows, n) = audit::list(&mut c, &page).await.unwrap();
    assert_eq!((n, rows.len(), rows[0].entity_id.as_str()), (3, 1, "1"));
    // Append-only: the schema refuses changes and deletions on both engines.
    assert!(sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(&mut *c)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(&mut *c)
        .await
        .is_err());
    let (_, after) = audit::list(&mut c, &everything).await.unwrap();
    assert_eq!(after, before + 3);
}
both!(audit_log, audit_log_filters_and_stays_append_only);

async fn idempotency_keys_are_claimed_once(t: TestApp) {
    let mut c = t.app.db.pool.acquire().await.unwrap();
    let uid = users::insert(&mut c, &user("conf_idem", Some(VILLAGE_A)))
        .await
        .unwrap();
    let k = KeyScope {
        user_id: uid,
        key: "k-1",
        method: "POST",
        path: "/api/v1/x",
    };
    let (now, exp) = ("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z");
    let id = idempotency::claim(&mut c, &k, "fp", "proc-1", now, exp)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        idempotency::claim(&mut c, &k, "fp", "proc-2", now, exp)
            .await
            .unwrap(),
        None
    );
    // Another route or account is another key.
    let other = KeyScope {
        path: "/api/v1/y",
        ..k.clone()
    };
    assert!(idempotency::claim(&mut c, &other, "fp", "proc-2", now, exp)
        .await
        .unwrap()
        .is_some());
    let found = idempotency::find(&mut c, &k).await.unwrap().unwrap();
    assert_eq!(
        (
            found.id,
            found.owner.as_str(),
            found.written,
            found.response
        ),
        (id, "proc-1", false, None)
    );
    // Only the owner's write marks it; a second request's insert gets nothing.
    assert_eq!(
        idempotency::insert_written(&mut c, &k, "fp", "proc-2", now, exp)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        idempotency::insert_written(&mut c, &k, "fp", "proc-1", now, exp)
            .await
            .unwrap(),
        Some(id)
    );
    // A dead owner's written key cannot be taken over or dropped.
    assert!(!idempotency::take_over(&mut c, id, "proc-1", "proc-3", now)
        .await
        .unwrap());
    assert!(!idempotency::drop_dead_claim(&mut c, id, "proc-1")
        .await
        .unwrap());
    let res = StoredResponse {
        status: 201,
        content_type: Some("application/json".into()),
        location: None,
        body: "sealed".into(),
    };
    assert!(
        !idempotency::keep_response(&mut c, &k, "fp", "proc-2", now, exp, &res)
            .await
            .unwrap()
    );
    assert!(
        idempotency::keep_response(&mut c, &k, "fp", "proc-1", now, exp, &res)
            .await
            .unwrap()
    );
    let found = idempotency::find(&mut c, &k).await.unwrap().unwrap();
    assert_eq!((found.written, found.response), (true, Some(res.clone())));
    // An unwritten claim of a dead process is taken over exactly once.
    let o = idempotency::find(&mut c, &other).await.unwrap().unwrap();
    assert!(
        idempotency::take_over(&mut c, o.id, "proc-2", "proc-4", now)
            .await
            .unwrap()
    );
    assert!(
        !idempotency::take_over(&mut c, o.id, "proc-2", "proc-5", now)
            .await
            .unwrap()
    );
    idempotency::release(&mut c, o.id).await.unwrap();
    assert!(idempotency::find(&mut c, &other).await.unwrap().is_none());
    // Expiry.
    idempotency::drop_if_expired(&mut c, id, now).await.unwrap();
    assert!(
        idempotency::find(&mut c, &k).await.unwrap().is_some(),
        "not yet expired"
    );
    assert_eq!(idempotency::purge_expired(&mut c, exp).await.unwrap(), 1);
    assert!(idempotency::find(&mut c, &k).await.unwrap().is_none());
}
both!(idempotency_keys, idempotency_keys_are_claimed_once);

async fn public_page_versions_grow_with_their_data(t: TestApp) {
    let mut c = t.app.db.pool.acquire().await.unwrap();
    let scopes = vec![VILLAGE_A.to_string()];
    assert_eq!(store::public_pages::version(&mut c, &[]).await.unwrap(), 0);
    let v0 = store::public_pages::version(&mut c, &scopes).await.unwrap();
    let round: i64 = insert_round(&mut c, VILLAGE_A).await;
    let v1 = store::public_pages::version(&mut c, &scopes).await.unwrap();
    store::public_pages::bump_round(&mut c, round)
        .await
        .unwrap();
    let v2 = store::public_pages::version(&mut c, &scopes).await.unwrap();
    assert!(v0 <= v1 && v1 < v2, "{v0} {v1} {v2}");
    let other = vec![VILLAGE_B.to_string()];
    let b = store::public_pages::version(&mut c, &other).await.unwrap();
    store::public_pages::bump_round(&mut c, round)
        .await
        .unwrap();
    assert_eq!(
        store::public_pages::version(&mut c, &other).await.unwrap(),
        b,
        "another village's page is untouched"
    );
}
both!(
    public_page_versions,
    public_page_versions_grow_with_their_data
);
