//! Villagers end to end: registration matched against the registry (and a mismatch that waits
//! for a cadre's check in person, saying nothing of which field failed), guessing throttled and
//! audited, a villager who sees only their own household and the public pages, a question on a
//! disclosure answered by a cadre, parallel registrations of one member.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use testkit::{both, resident_id, Response, TestApp, PASSWORD, VILLAGE_A};

const COOKIE: &str = "gr_public_csrf";

async fn households(t: &TestApp) -> (String, String) {
    let (a, b) = (
        resident_id("14058119650312101"),
        resident_id("14058119700521102"),
    );
    let csv = format!("household_no,head_name,head_id\n001,王建国,{a}\n002,李秀英,{b}\n");
    app::registry::household_import::import(
        &t.app,
        &app::Actor::cli(),
        VILLAGE_A,
        "hh.csv",
        csv.as_bytes(),
        false,
    )
    .await
    .unwrap();
    (a, b)
}

/// Opens the form (for its CSRF cookie) and posts a registration.
async fn register(t: &TestApp, name: &str, id: &str, phone: &str) -> Response {
    let path = format!("/public/villages/{VILLAGE_A}/register");
    let form = t.get_public(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    let token = form.cookie(COOKIE).expect("csrf cookie");
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("_csrf", token.as_str()),
            ("name", name),
            ("resident_id", id),
            ("phone", phone),
            ("password", PASSWORD),
        ])
        .finish();
    t.send(
        Request::post(&path)
            .header(header::COOKIE, format!("{COOKIE}={token}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn villager(t: TestApp) {
    let (a, b) = households(&t).await;
    // A wrong name: neutral, pending for a cadre; nothing says which field failed.
    let r = register(&t, "王建", &a, "13800000009").await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert!(
        r.body.contains("当面核验")
            && !r.body.contains("姓名不符")
            && !r.body.contains("身份证号不符"),
        "{}",
        r.body
    );
    // A bad check digit is a form error (it says nothing about the registry).
    let mut bad = a.clone();
    bad.pop();
    bad.push(if a.ends_with('1') { '2' } else { '1' });
    let r = register(&t, "王建国", &bad, "13800000001").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("校验位"), "{}", r.body);
    // The right name and ID: the account exists, bound to that member.
    let r = register(&t, "王建国", &a, "13800000001").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("注册成功") && r.body.contains("13800000001"),
        "{}",
        r.body
    );
    assert_eq!(t.count("villager_links").await, 1);

    let me = t.login("13800000001").await;
    let page = t.get("/me", &me).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("001") && page.body.contains("王建国"),
        "{}",
        page.body
    );
    // Nothing of the tree or of other households.
    let hid: i64 =
        sqlx::query_scalar::<_, i64>("SELECT id FROM households WHERE household_no = '002'")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap();
    for path in [
        "/tree".to_string(),
        "/households".to_string(),
        format!("/households/{hid}"),
        "/disclosures/messages".into(),
        "/disclosures/registrations".into(),
        format!("/villages/{VILLAGE_A}/ledger"),
        "/audit".into(),
    ] {
        let r = t.get(&path, &me).await;
        assert!(
            matches!(r.status.as_u16(), 403 | 404),
            "{path}: {} {}",
            r.status,
            r.body
        );
    }
    let home = t.get("/", &me).await;
    assert_eq!(home.location(), "/me");

    // The cadre publishes; the villager sees it as new and asks about it; the cadre answers.
    let cadre = t.login("cadre_a").await;
    let today = app::credit::today().to_string();
    let r = t
        .post_file(
            &format!("/disclosures/new?village={VILLAGE_A}"),
            &cadre,
            "t.csv",
            b"",
            &[
                ("category", "village.decisions"),
                ("period", &today),
                ("title", "修路决议"),
                ("body", "表决通过。"),
            ],
        )
        .await;
    let draft = r
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = t
        .post_form(&format!("/disclosures/drafts/{draft}/publish"), &cadre, &[])
        .await;
    let id = r
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = t.get("/me", &me).await;
    assert!(
        page.body.contains("修路决议"),
        "new disclosure listed: {}",
        page.body
    );
    let r = t
        .post_form(
            "/me/messages",
            &me,
            &[
                ("disclosure", &id),
                ("kind", "doubt"),
                ("body", "预算 36 万元是否包含上级奖补？"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .post_form(
            "/me/messages",
            &me,
            &[("module", "finance"), ("kind", "nonsense"), ("body", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let list = t.get("/disclosures/messages", &cadre).await;
    // Statistics per kind: one doubt, waiting for its answer.
    assert!(list.body.contains("质疑（数据是否准确）</td><td data-label=\"留言\">1</td><td data-label=\"待答复\">1</td>"), "{}", list.body);
    assert!(list.body.contains("预算 36 万元"), "{}", list.body);
    let mid: i64 = sqlx::query_scalar::<_, i64>("SELECT id FROM disclosure_messages")
        .fetch_one(&t.app.db.pool)
        .await
        .unwrap();
    let other = t.login("cadre_b").await;
    let r = t
        .post_form(
            &format!("/disclosures/messages/{mid}/answer"),
            &other,
            &[("answer", "x")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another village's cadre: {}",
        r.body
    );
    let kind = format!("kind-{mid}");
    let r = t
        .post_form(
            &format!("/disclosures/messages/{mid}/answer"),
            &cadre,
            &[("answer", "包含上级奖补 20 万元。"), (&kind, "question")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .post_form(
            &format!("/disclosures/messages/{mid}/answer"),
            &cadre,
            &[("answer", "again")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let page = t.get("/me", &me).await;
    assert!(
        page.body.contains("包含上级奖补 20 万元") && page.body.contains("咨询"),
        "answer and re-classification shown: {}",
        page.body
    );

    // The township's figures: one verified villager of two households, one message answered.
    let town = t.actor("township").await;
    let f = app::disclosure::messages::figures(&t.app, &town, testkit::TOWNSHIP)
        .await
        .unwrap();
    let a_fig = f.iter().find(|f| f.code == VILLAGE_A).unwrap();
    assert_eq!(
        (
            a_fig.villagers,
            a_fig.households_with_villager,
            a_fig.households,
            a_fig.household_share_permille,
            a_fig.messages,
            a_fig.unanswered,
            a_fig.median_answer_hours
        ),
        (1, 1, 2, 500, 1, 0, Some(0))
    );
    let page = t
        .get("/disclosures/schedule", &t.login("township").await)
        .await;
    assert!(
        page.body.contains("实名村民") && page.body.contains("1 / 2 (50.0%)"),
        "{}",
        page.body
    );

    // A registration with the right name but a wrong ID waits; the cadre confirms in person.
    let wrong = resident_id("14058119700521109");
    let r = register(&t, "李秀英", &wrong, "13800000002").await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let page = t.get("/disclosures/registrations", &cadre).await;
    assert!(
        page.body.contains("李秀英") && page.body.contains("002"),
        "{}",
        page.body
    );
    let (req, member): (i64, i64) = (
        sqlx::query_scalar::<_, i64>("SELECT id FROM villager_requests WHERE name = '李秀英'")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap(),
        sqlx::query_scalar::<_, i64>("SELECT id FROM members WHERE name = '李秀英'")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap(),
    );
    let r = t
        .post_form(
            &format!("/disclosures/registrations/{req}/confirm"),
            &other,
            &[("member_id", &member.to_string())],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another village's cadre cannot confirm"
    );
    let r = t
        .post_form(
            &format!("/disclosures/registrations/{req}/confirm"),
            &cadre,
            &[("member_id", &member.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let li = t.login("13800000002").await;
    assert!(t.get("/me", &li).await.body.contains("李秀英"));
    let _ = b;

    // Guessing is throttled per address, and audited.
    let mut last = StatusCode::OK;
    for i in 0..12 {
        last = register(
            &t,
            "某某",
            &resident_id(&format!("14058119800101{i:03}")),
            &format!("1390000{i:04}"),
        )
        .await
        .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let n: i64 = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'villager.register_throttled'",
    )
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    assert!(n >= 1);
    // No resident ID in clear anywhere it was written.
    let leaked: i64 = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM villager_requests WHERE id_hash = $1 OR id_masked = $1 OR name = $1",
    )
    .bind(&a)
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    assert_eq!(leaked, 0);
    let audit: i64 =
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE summary LIKE $1")
            .bind(format!("%{wrong}%"))
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap();
    assert_eq!(audit, 0, "audit entries hold masked IDs only");
}
both!(
    a_villager_registers_reads_and_asks_and_a_cadre_answers,
    villager
);

async fn parallel(t: TestApp) {
    let (a, _) = households(&t).await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..4 {
        let (router, a) = (t.router.clone(), a.clone());
        set.spawn(async move {
            use tower::ServiceExt;
            let path = format!("/public/villages/{VILLAGE_A}/register");
            let token = "0123456789abcdef0123456789abcdef";
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs([
                    ("_csrf", token),
                    ("name", "王建国"),
                    ("resident_id", a.as_str()),
                    ("phone", &format!("1380000010{i}")),
                    ("password", PASSWORD),
                ])
                .finish();
            let req = Request::post(&path)
                .header(header::COOKIE, format!("{COOKIE}={token}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap();
            router.oneshot(req).await.unwrap().status().as_u16()
        });
    }
    let mut codes = Vec::new();
    while let Some(c) = set.join_next().await {
        codes.push(c.unwrap());
    }
    codes.sort();
    // One account; the others get the neutral answer on both engines (no 409 telling them
    // the ID and name matched).
    assert_eq!(codes, vec![200, 202, 202, 202], "{codes:?}");
    assert_eq!(t.count("villager_links").await, 1);
}
both!(
    parallel_registrations_of_one_member_make_one_account,
    parallel
);
