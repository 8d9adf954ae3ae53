//! Three-affairs disclosure end to end: the accountant prepares a finance statement with a
//! table, a supervisor (never the preparer) approves it, it is published into the transparency
//! log and read by anyone; corrections supersede exactly once under parallel clients; the
//! township's on-time table lists what is missing; other villages' accounts are refused;
//! published rows refuse change and an edit behind the application's back is found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use base64::Engine;
use domain::access::Role;
use domain::transparency::merkle::{self, Hash};
use testkit::{both, TestApp, VILLAGE_A, VILLAGE_B};

const TABLE: &str = "项目,收入（分）,备注\n土地租金,1250000,王家 3 亩\n鱼塘承包,800050,\n";

fn last_month() -> String {
    let t = app::credit::today();
    let p = domain::disclosure::Period::holding(
        domain::disclosure::Cadence::Monthly { due_day: 10 },
        t,
    )
    .previous();
    p.to_string()
}

/// Prepares a draft through the page; returns the draft id.
async fn prepare(
    t: &TestApp,
    who: &testkit::Session,
    village: &str,
    fields: &[(&str, &str)],
    table: &str,
) -> testkit::Response {
    t.post_file(
        &format!("/disclosures/new?village={village}"),
        who,
        "table.csv",
        table.as_bytes(),
        fields,
    )
    .await
}

fn id_of(location: &str) -> i64 {
    location
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn finance_statement(t: TestApp) {
    t.add_account("sup_a", Role::Supervisor, VILLAGE_A).await;
    let acc = t.login("accountant_a").await;
    let sup = t.login("sup_a").await;
    let period = last_month();
    let r = prepare(
        &t,
        &acc,
        VILLAGE_A,
        &[
            ("category", "finance.monthly"),
            ("period", &period),
            ("title", "上月财务收支明细"),
            ("body", "本月收入如下。\r\n\r\n如有疑问请留言。"),
        ],
        TABLE,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draft = id_of(&r.location());

    // Not before a second person approves; the preparer's side cannot approve.
    let r = t
        .post_form(&format!("/disclosures/drafts/{draft}/publish"), &acc, &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("审核"), "{}", r.body);
    let r = t
        .post_form(&format!("/disclosures/drafts/{draft}/approve"), &acc, &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The draft page shows the supervisor the approve button, the accountant a disabled publish.
    let page_sup = t.get(&format!("/disclosures/drafts/{draft}"), &sup).await;
    assert!(page_sup.body.contains("审核通过"), "{}", page_sup.body);
    let page = t.get(&format!("/disclosures/drafts/{draft}"), &acc).await;
    assert!(page.body.contains("disabled"), "{}", page.body);
    // The supervisor approves the version they saw: an edit in between voids that approval.
    let seen_of = |body: &str| {
        let key = "name=\"seen\" value=\"";
        let at = body.find(key).unwrap() + key.len();
        body[at..at + body[at..].find('"').unwrap()].to_string()
    };
    let seen = seen_of(&page_sup.body);
    let r = t
        .post_file(
            &format!("/disclosures/drafts/{draft}/edit"),
            &acc,
            "t.csv",
            b"",
            &[
                ("period", &period),
                ("title", "上月财务收支明细（修订）"),
                ("body", "本月收入如下。\n\n如有疑问请留言。"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .post_form(
            &format!("/disclosures/drafts/{draft}/approve"),
            &sup,
            &[("seen", &seen)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a version since edited: {}",
        r.body
    );
    assert!(r.body.contains("草稿已被修改"), "{}", r.body);
    let seen = seen_of(
        &t.get(&format!("/disclosures/drafts/{draft}"), &sup)
            .await
            .body,
    );
    let r = t
        .post_form(
            &format!("/disclosures/drafts/{draft}/approve"),
            &sup,
            &[("seen", &seen)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .post_form(
            &format!("/disclosures/drafts/{draft}/approve"),
            &sup,
            &[("seen", &seen)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "approving twice: {}",
        r.body
    );
    let r = t
        .post_form(&format!("/disclosures/drafts/{draft}/publish"), &acc, &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_of(&r.location());
    let r = t
        .post_form(&format!("/disclosures/drafts/{draft}/publish"), &acc, &[])
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "publishing twice: {}",
        r.body
    );

    // Anyone reads it: money in yuan with its total, who prepared and approved, its log index.
    let page = t.get_public(&format!("/public/disclosures/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for want in [
        "上月财务收支明细",
        "收入（元）",
        "12500.00",
        "8000.50",
        "20500.50",
        "sup_a",
        "accountant_a",
        "data-log-index=\"0\"",
        "/public/verify.js",
    ] {
        assert!(page.body.contains(want), "{want} missing: {}", page.body);
    }
    // Views are counted (a number only) and written in a batch.
    t.get_public(&format!("/public/disclosures/{id}")).await;
    assert_eq!(app::disclosure::views::flush(&t.app).await.unwrap(), 1);
    assert_eq!(app::disclosure::views::views(&t.app, id).await.unwrap(), 2);
    t.get_public("/public/disclosures/999999").await;
    assert_eq!(
        app::disclosure::views::flush(&t.app).await.unwrap(),
        0,
        "a missing one is not counted"
    );
    let board = t.get_public(&format!("/public/villages/{VILLAGE_A}")).await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains("上月财务收支明细") && board.body.contains("财务"));
    let feed = t
        .get_public(&format!("/public/villages/{VILLAGE_A}/feed.atom"))
        .await;
    assert!(
        feed.body.contains("<entry>") && feed.body.contains(&format!("/public/disclosures/{id}"))
    );
    for png in [
        format!("/public/villages/{VILLAGE_A}/qr.png"),
        format!("/public/disclosures/{id}/qr.png"),
    ] {
        let r = t
            .send(
                axum::http::Request::get(&png)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{png}");
        assert_eq!(r.headers.get("content-type").unwrap(), "image/png", "{png}");
    }
    let qr = t
        .get_public(&format!("/public/disclosures/{id}/qr.svg"))
        .await;
    assert!(
        qr.body.starts_with("<?xml") || qr.body.contains("<svg"),
        "{}",
        qr.body
    );

    // The log's leaf is exactly the disclosure as shown, and its proof leads to the checkpoint.
    let leaf = t.get_public("/public/log/entries/0").await.body;
    let v: serde_json::Value = serde_json::from_str(&leaf).unwrap();
    assert_eq!(v["kind"], "disclosure");
    assert_eq!(v["id"], id);
    assert_eq!(v["body"], "本月收入如下。\n\n如有疑问请留言。");
    assert_eq!(v["table"]["rows"][1][1], "800050");
    let p = t
        .get_public("/public/log/proof/inclusion?index=0&size=1")
        .await
        .json();
    let proof: Vec<Hash> = p["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            Hash::try_from(
                base64::engine::general_purpose::STANDARD
                    .decode(h.as_str().unwrap())
                    .unwrap(),
            )
            .unwrap()
        })
        .collect();
    let root =
        merkle::root_from_inclusion(0, 1, &merkle::leaf_hash(leaf.as_bytes()), &proof).unwrap();
    assert_eq!(root, merkle::leaf_hash(leaf.as_bytes()));

    // Published is final, in the database itself.
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let edit = sqlx::query("UPDATE disclosures SET title = 'x' WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await;
    assert!(edit.is_err(), "a published disclosure was edited");
    let del = sqlx::query("DELETE FROM disclosures WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await;
    assert!(del.is_err(), "a published disclosure was deleted");
    drop(conn);
    for action in [
        "disclosure.prepare",
        "disclosure.approve",
        "disclosure.publish",
    ] {
        let n: i64 =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE action = $1")
                .bind(action)
                .fetch_one(&t.app.db.pool)
                .await
                .unwrap();
        assert_eq!(n, 1, "{action}");
    }
    assert_eq!(
        app::transparency::audit(&t.app).await.unwrap().problem,
        None
    );
}
both!(
    finance_statement_is_approved_by_a_second_person_and_published_into_the_log,
    finance_statement
);

async fn corrections(t: TestApp) {
    let cadre = t.login("cadre_a").await;
    let today = app::credit::today().to_string();
    let r = prepare(
        &t,
        &cadre,
        VILLAGE_A,
        &[
            ("category", "village.decisions"),
            ("period", &today),
            ("title", "修路决议"),
            ("body", "经村民代表会议表决通过。"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t
        .post_form(
            &format!("/disclosures/drafts/{}/publish", id_of(&r.location())),
            &cadre,
            &[],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "village affairs need no approval: {}",
        r.body
    );
    let old = id_of(&r.location());
    // Four corrections of the same disclosure prepared, then published at once: one wins.
    let mut drafts = Vec::new();
    for i in 0..4 {
        let title = format!("修路决议（更正{i}）");
        let r = prepare(
            &t,
            &cadre,
            VILLAGE_A,
            &[
                ("category", "village.decisions"),
                ("period", &today),
                ("title", &title),
                ("body", "更正金额。"),
                ("supersedes", &old.to_string()),
            ],
            "",
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        drafts.push(id_of(&r.location()));
    }
    let mut set = tokio::task::JoinSet::new();
    for d in drafts {
        let (router, s) = (t.router.clone(), cadre.clone());
        set.spawn(async move {
            use tower::ServiceExt;
            let body = format!("_csrf={}", s.csrf);
            let req = axum::http::Request::post(format!("/disclosures/drafts/{d}/publish"))
                .header("cookie", s.cookie_header())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(body))
                .unwrap();
            router.oneshot(req).await.unwrap().status()
        });
    }
    let mut codes = Vec::new();
    while let Some(s) = set.join_next().await {
        codes.push(s.unwrap().as_u16());
    }
    codes.sort();
    assert_eq!(codes, vec![303, 409, 409, 409], "{codes:?}");
    let old_page = t.get_public(&format!("/public/disclosures/{old}")).await;
    assert!(
        old_page.body.contains("本公开已被更正"),
        "{}",
        old_page.body
    );
    let n = t.count("disclosures").await;
    assert_eq!(n, 2);
    // Every publication is in the log once, and the log audits clean.
    assert_eq!(t.count("log_entries").await, 2);
    assert_eq!(
        app::transparency::audit(&t.app).await.unwrap().problem,
        None
    );
}
both!(
    a_correction_supersedes_exactly_once_under_parallel_clients,
    corrections
);

async fn hostile_and_scope(t: TestApp) {
    let cadre = t.login("cadre_a").await;
    let r = prepare(
        &t,
        &cadre,
        VILLAGE_A,
        &[
            ("category", "finance.monthly"),
            ("period", "2026-Q3"),
            ("title", "<script>x</script>"),
            ("body", "a\u{0}b"),
        ],
        "a,b\n1,2,3\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("期间应写成 2026-11"), "{}", r.body);
    assert!(r.body.contains("控制字符"), "{}", r.body);
    assert!(r.body.contains("第 2 行"), "{}", r.body);
    assert!(
        r.body.contains("&lt;script&gt;"),
        "typed title kept, escaped: {}",
        r.body
    );
    let r = prepare(
        &t,
        &cadre,
        VILLAGE_A,
        &[
            ("category", "no.such"),
            ("period", "2999-01"),
            ("title", "t"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("没有“no.such”这个公开类别"), "{}", r.body);
    // A relief list with resident IDs: never published, refused by row and column.
    let list = format!(
        "姓名,身份证号\n王建国,{}\n",
        testkit::resident_id("14058119650312101")
    );
    let r = prepare(
        &t,
        &cadre,
        VILLAGE_A,
        &[
            ("category", "village.relief"),
            ("period", &last_quarter()),
            ("title", "低保名单"),
        ],
        &list,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("表格第 2 行“身份证号”列：身份证号不得公开"),
        "{}",
        r.body
    );
    assert_eq!(t.count("disclosure_drafts").await, 0);
    // Another village's cadre: refused to prepare there, and cannot see the draft.
    let r = prepare(
        &t,
        &cadre,
        VILLAGE_A,
        &[
            ("category", "party.fees"),
            ("period", &last_quarter()),
            ("title", "党费"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draft = id_of(&r.location());
    let other = t.login("cadre_b").await;
    let r = prepare(
        &t,
        &other,
        VILLAGE_A,
        &[
            ("category", "party.fees"),
            ("period", &last_quarter()),
            ("title", "党费"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = t.get(&format!("/disclosures/drafts/{draft}"), &other).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t
        .post_form(&format!("/disclosures/drafts/{draft}/publish"), &other, &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A bank officer does not publish.
    let bank = t.login("bank").await;
    let r = t
        .post_form(&format!("/disclosures/drafts/{draft}/publish"), &bank, &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Unknown and malformed public addresses are 404s, not errors.
    for path in [
        "/public/disclosures/999999",
        "/public/disclosures/abc",
        "/public/villages/12/feed.atom",
        "/public/villages/999999999999",
    ] {
        let r = t.get_public(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    let _ = VILLAGE_B;
}
both!(
    bad_input_is_named_and_other_villages_are_refused,
    hostile_and_scope
);

fn last_quarter() -> String {
    domain::disclosure::Period::holding(
        domain::disclosure::Cadence::Quarterly { due_day: 20 },
        app::credit::today(),
    )
    .previous()
    .to_string()
}

async fn overdue(t: TestApp) {
    let township = t.login("township").await;
    let cadre = t.login("cadre_a").await;
    let period = last_quarter();
    let r = prepare(
        &t,
        &cadre,
        VILLAGE_A,
        &[
            ("category", "party.fees"),
            ("period", &period),
            ("title", "党费收缴"),
        ],
        "",
    )
    .await;
    let r = t
        .post_form(
            &format!("/disclosures/drafts/{}/publish", id_of(&r.location())),
            &cadre,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let actor = t.actor("township").await;
    let s =
        app::disclosure::board::schedule(&t.app, &actor, testkit::TOWNSHIP, app::credit::today())
            .await
            .unwrap();
    assert!(s.rows.iter().any(|r| r.code == VILLAGE_A));
    let fees = s
        .categories
        .iter()
        .position(|(k, _)| k == "party.fees")
        .unwrap();
    let row_a = s.rows.iter().find(|r| r.code == VILLAGE_A).unwrap();
    let other = s.rows.iter().find(|r| r.code != VILLAGE_A).unwrap();
    // The quarter just ended is due on the 20th of this quarter's first month.
    let due = domain::disclosure::Period::parse(&period)
        .unwrap()
        .due(domain::disclosure::Cadence::Quarterly { due_day: 20 });
    let missing_a = row_a.cells[fees].missing;
    let missing_other = other.cells[fees].missing;
    assert_eq!(
        missing_other,
        missing_a + usize::from(app::credit::today() > due),
        "{row_a:?} {other:?}"
    );
    assert!(s.overdue.iter().all(|o| o.village_code != VILLAGE_A
        || o.category != "party.fees"
        || o.due.period.to_string() != period));
    let page = t.get("/disclosures/schedule", &township).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("党费收缴") && page.body.contains("逾期未公开"),
        "{}",
        page.body
    );
    // A village cadre cannot read another township's table.
    let r = t.get("/disclosures/schedule?unit=140581101", &cadre).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
both!(the_township_sees_which_villages_are_late, overdue);

async fn edited_behind_the_back(t: TestApp) {
    let cadre = t.login("cadre_a").await;
    let today = app::credit::today().to_string();
    let r = prepare(
        &t,
        &cadre,
        VILLAGE_A,
        &[
            ("category", "other.notices"),
            ("period", &today),
            ("title", "停水通知"),
            ("body", "明日停水。"),
        ],
        "",
    )
    .await;
    let r = t
        .post_form(
            &format!("/disclosures/drafts/{}/publish", id_of(&r.location())),
            &cadre,
            &[],
        )
        .await;
    let id = id_of(&r.location());
    assert_eq!(
        app::transparency::audit(&t.app).await.unwrap().problem,
        None
    );
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let sqlite = t.app.db.backend == app::Backend::Sqlite;
    let drop_sql = if sqlite {
        "DROP TRIGGER disclosures_no_update"
    } else {
        "DROP TRIGGER disclosures_no_change ON disclosures"
    };
    sqlx::query(drop_sql).execute(&mut *conn).await.unwrap();
    sqlx::query("UPDATE disclosures SET title = '不停水' WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let report = app::transparency::audit(&t.app).await.unwrap();
    let problem = report.problem.expect("the edit is found");
    assert!(
        problem.contains(&format!("disclosure {id}")) && problem.contains("不停水"),
        "{problem}"
    );
    // The page shows the edited text; its own check (tests/browser) then fails.
    let page = t.get_public(&format!("/public/disclosures/{id}")).await;
    assert!(page.body.contains("不停水"));
}
both!(
    an_edit_behind_the_applications_back_is_found_by_the_log_audit,
    edited_behind_the_back
);

/// A multipart post of text fields and `attachment` files.
async fn post_attachments(
    t: &TestApp,
    path: &str,
    who: &testkit::Session,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> testkit::Response {
    let boundary = "gr-attach-boundary";
    let mut body = Vec::new();
    let mut text = |k: &str, v: &str| {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        )
    };
    text("_csrf", &who.csrf);
    for (k, v) in fields {
        text(k, v);
    }
    for (name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    t.send(
        axum::http::Request::post(path)
            .header("cookie", who.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(axum::body::Body::from(body))
            .unwrap(),
    )
    .await
}

async fn attachments(t: TestApp) {
    use sha2::Digest;
    let cadre = t.login("cadre_a").await;
    let today = app::credit::today().to_string();
    let path = format!("/disclosures/new?village={VILLAGE_A}");
    let fields = [
        ("category", "other.notices"),
        ("period", today.as_str()),
        ("title", "停水通知（附图）"),
        ("body", "见附件。"),
    ];
    // Not a PDF, JPEG or PNG by its bytes, whatever its name: refused, nothing kept.
    let r = post_attachments(
        &t,
        &path,
        &cadre,
        &fields,
        &[("map.png", b"MZ\x90\x00 not an image")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("不是 PDF、JPEG 或 PNG"), "{}", r.body);
    assert_eq!(t.count("disclosure_files").await, 0);
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-test-bytes";
    let sha = hex::encode(sha2::Sha256::digest(png));
    let r = post_attachments(&t, &path, &cadre, &fields, &[("map.png", png)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draft = id_of(&r.location());
    let r = t
        .post_form(&format!("/disclosures/drafts/{draft}/publish"), &cadre, &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_of(&r.location());
    let page = t.get_public(&format!("/public/disclosures/{id}")).await;
    assert!(
        page.body.contains(&format!("/public/files/{sha}")),
        "{}",
        page.body
    );
    let f = t.get_public(&format!("/public/files/{sha}")).await;
    assert_eq!(f.status, StatusCode::OK);
    assert_eq!(f.headers.get("content-type").unwrap(), "image/png");
    assert_eq!(
        t.get_public("/public/files/not-a-hash").await.status,
        StatusCode::NOT_FOUND
    );
    let leaf: serde_json::Value =
        serde_json::from_str(&t.get_public("/public/log/entries/0").await.body).unwrap();
    assert_eq!(leaf["attachments"][0], sha.as_str());
    assert_eq!(
        app::transparency::audit(&t.app).await.unwrap().problem,
        None
    );
    // The file's bytes replaced behind the application's back: the audit names it.
    let mut conn = t.app.db.pool.acquire().await.unwrap();
    let drop_sql = if t.app.db.backend == app::Backend::Sqlite {
        "DROP TRIGGER disclosure_files_no_update"
    } else {
        "DROP TRIGGER disclosure_files_no_change ON disclosure_files"
    };
    sqlx::query(drop_sql).execute(&mut *conn).await.unwrap();
    sqlx::query("UPDATE disclosure_files SET data = 'AAAA' WHERE sha256 = $1")
        .bind(&sha)
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let problem = app::transparency::audit(&t.app)
        .await
        .unwrap()
        .problem
        .unwrap();
    assert!(problem.contains(&format!("attachment {sha}")), "{problem}");
}
both!(attachments_are_checked_served_and_audited, attachments);
