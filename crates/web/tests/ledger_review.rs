//! Review fixes of the ledger: subtree filters that hold under any PostgreSQL collation, arrears
//! claims that follow the contract (paid off, renamed), origins only the app may set, capped
//! amounts, and imports that audit what they changed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use serde_json::{json, Value};
use testkit::{both, Backend, TestApp, TOWNSHIP, VILLAGE_A, VILLAGE_A2};

/// A 20-year land lease from 2020 (rent 1000 yuan, due each 1 January) with `paid` yuan paid,
/// and another contract in good standing.
fn contracts(paid: &str) -> String {
    format!(
        "contract_no,kind,counterparty,subject,area_mu,start_on,end_on,annual_rent_yuan,paid_yuan,procedure_ref\n\
HT-1,土地租赁,王建国,东坡,1,2020-01-01,2039-12-31,1000,{paid},会议纪要\n\
HT-2,土地租赁,李四,西坡,1,2020-01-01,2039-12-31,1000,20000,会议纪要\n"
    )
}

async fn import(t: &TestApp, tok: &str, kind: &str, body: &str, file: &str) -> testkit::Response {
    let path = format!("/api/v1/villages/{VILLAGE_A}/ledger/import?kind={kind}&file={file}");
    t.api_upload(&path, tok, body.as_bytes().to_vec()).await
}

async fn get(t: &TestApp, tok: &str, path: &str) -> Value {
    let r = t.api_get(path, tok).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.json()
}

async fn claims(t: &TestApp, tok: &str) -> Vec<Value> {
    get(
        t,
        tok,
        &format!("/api/v1/villages/{VILLAGE_A}/ledger/claims"),
    )
    .await
    .as_array()
    .unwrap()
    .clone()
}

fn by_origin<'a>(claims: &'a [Value], origin: &str) -> Vec<&'a Value> {
    claims.iter().filter(|c| c["origin"] == origin).collect()
}

/// Rent fallen due on HT-1 by today: 1000 yuan for each contract year already begun.
fn due_fen() -> i64 {
    use chrono::Datelike;
    let year = i64::from(app::ledger::today().year());
    (year - 2019).clamp(0, 20) * 100_000
}

async fn arrears_claims_follow_the_contract(t: TestApp) {
    let tok = t.token("accountant_a").await;
    import(&t, &tok, "contracts", &contracts("2000"), "c.csv")
        .await
        .expect_status(StatusCode::OK);
    let owed = due_fen() - 200_000;
    let all = claims(&t, &tok).await;
    let k = by_origin(&all, "arrears:HT-1");
    assert_eq!(k.len(), 1, "{all:?}");
    assert_eq!(k[0]["amount_fen"], owed);
    assert!(by_origin(&all, "arrears:HT-2").is_empty());

    // 1000 yuan collected on the claim is paid on the contract: still owed + collected
    let id = k[0]["id"].as_i64().unwrap();
    let r = t
        .api_post(
            &format!("/api/v1/villages/{VILLAGE_A}/ledger/claims/{id}/collections"),
            &tok,
            json!({"amount_yuan": "1000", "collected_on": "2024-06-01"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let all = claims(&t, &tok).await;
    let k = by_origin(&all, "arrears:HT-1");
    assert_eq!(
        (k[0]["amount_fen"].as_i64(), k[0]["collected_fen"].as_i64()),
        (Some(owed), Some(100_000))
    );

    // the contract changes its number: the claim follows, no second claim for the same rent
    let listed = format!("/api/v1/villages/{VILLAGE_A}/ledger/contracts");
    let listed = get(&t, &tok, &listed).await;
    let contract = testkit::find(&listed, "contract_no", "HT-1").clone();
    let mut draft = contract.clone();
    draft["contract_no"] = json!("HT-1A");
    t.api_put(
        &format!(
            "/api/v1/villages/{VILLAGE_A}/ledger/contracts/{}",
            contract["id"]
        ),
        &tok,
        draft,
    )
    .await
    .expect_status(StatusCode::OK);
    let all = claims(&t, &tok).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["origin"], "arrears:HT-1A");
    assert_eq!(all[0]["id"].as_i64(), Some(id));
    assert_eq!(all[0]["amount_fen"], owed);

    // the whole rent due is paid (re-import with paid_yuan covering it): the claim drops to
    // what was collected on it, nothing outstanding
    let paid = format!("{}", due_fen() / 100 + 1000);
    let r = import(
        &t,
        &tok,
        "contracts",
        &contracts(&paid).replace("HT-1,", "HT-1A,"),
        "c2.csv",
    )
    .await
    .expect_status(StatusCode::OK);
    assert_eq!(r.json()["updated"], 2);
    let all = claims(&t, &tok).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["amount_fen"], 100_000);
    assert_eq!(all[0]["collected_fen"], 100_000);
    assert_eq!(all[0]["claim_status"], "collected");
    let s = get(
        &t,
        &tok,
        &format!("/api/v1/villages/{VILLAGE_A}/ledger/summary"),
    )
    .await;
    assert_eq!(s["claims"]["amount_fen"], 100_000, "{s}");

    // arrears again (the paid amount corrected down): the same claim grows back
    import(
        &t,
        &tok,
        "contracts",
        &contracts("2000").replace("HT-1,", "HT-1A,"),
        "c3.csv",
    )
    .await
    .expect_status(StatusCode::OK);
    let all = claims(&t, &tok).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["amount_fen"], owed + 100_000);
}
both!(arrears, arrears_claims_follow_the_contract);

async fn app_origins_are_refused_from_people(t: TestApp) {
    let tok = t.token("accountant_a").await;
    for origin in ["arrears:C1", "resource:ZY-1", " Arrears:HT-9"] {
        let body = format!("claim_no,debtor,amount_yuan,origin\nZQ-1,张三,100,{origin}\n");
        let r = import(&t, &tok, "claims", &body, "claims.csv").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{origin}");
        let issue = &r.json()["error"]["issues"][0];
        assert_eq!(
            (
                issue["file"].as_str(),
                issue["row"].as_i64(),
                issue["column"].as_str()
            ),
            (Some("claims.csv"), Some(2), Some("origin")),
            "{issue}"
        );
        assert!(issue["message"].as_str().unwrap().contains("system"));
    }
    let r = t
        .api_post(&format!("/api/v1/villages/{VILLAGE_A}/ledger/claims"), &tok, json!({"claim_no": "ZQ-2", "debtor": "张三", "amount_yuan": "100", "origin": "arrears:HT-1"}))
        .await.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains(&["origin"]);
    assert_eq!(t.count("claims").await, 0);

    // the app still makes its own, and they round-trip through export → re-import
    import(&t, &tok, "contracts", &contracts("0"), "c.csv")
        .await
        .expect_status(StatusCode::OK);
    let all = claims(&t, &tok).await;
    assert_eq!(by_origin(&all, "arrears:HT-1").len(), 1, "{all:?}");
    let export = t
        .api_get(
            &format!("/api/v1/villages/{VILLAGE_A}/ledger/export?kind=claims&format=csv"),
            &tok,
        )
        .await
        .expect_status(StatusCode::OK);
    export.assert_contains(&["arrears:HT-1"]);
    let r = import(&t, &tok, "claims", &export.body, "export.csv")
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(r.json()["updated"], 1);
    // the same with Chinese headers (what a page in Chinese downloads): read back alike
    let zh = t
        .api_get(
            &format!(
                "/api/v1/villages/{VILLAGE_A}/ledger/export?kind=claims&format=csv&headers=zh"
            ),
            &tok,
        )
        .await
        .expect_status(StatusCode::OK);
    let first = zh.body.lines().next().unwrap_or("");
    assert!(!first.is_ascii() && !first.contains("origin"), "{first}");
    let r = import(&t, &tok, "claims", &zh.body, "zh.csv")
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(
        (r.json()["updated"].as_i64(), r.json()["created"].as_i64()),
        (Some(1), Some(0)),
        "{}",
        r.body
    );
    let page = t
        .get(
            &format!("/villages/{VILLAGE_A}/ledger/export?kind=claims&format=csv"),
            &t.login("accountant_a").await,
        )
        .await;
    assert_eq!(page.body.lines().next(), Some(first));
    // but an existing claim cannot be switched to another contract's arrears
    let moved = export.body.replace("arrears:HT-1", "arrears:HT-2");
    let r = import(&t, &tok, "claims", &moved, "moved.csv")
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["issues"][0]["column"], "origin");
}
both!(app_origins, app_origins_are_refused_from_people);

async fn amounts_are_capped(t: TestApp) {
    let tok = t.token("accountant_a").await;
    let body = "debt_no,creditor,principal_yuan\nZW-1,甲,1000000000000\nZW-2,乙,1000000000000.01\nZW-3,丙,92233720368547758\n";
    let r = import(&t, &tok, "debts", body, "debts.csv")
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let issues = r.json()["error"]["issues"].as_array().unwrap().clone();
    let at: Vec<(i64, &str)> = issues
        .iter()
        .map(|i| (i["row"].as_i64().unwrap(), i["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        at,
        [(3, "principal_yuan"), (4, "principal_yuan")],
        "{issues:?}"
    );
    assert_eq!(t.count("debts").await, 0);
}
both!(caps, amounts_are_capped);

async fn import_updates_are_audited(t: TestApp) {
    let tok = t.token("accountant_a").await;
    let id = testkit::resident_id("14058119700101001");
    let body = "debt_no,creditor,principal_yuan\nZW-1,县建筑公司,1000\nZW-2,信用社,500\n";
    import(&t, &tok, "debts", body, "debts.csv")
        .await
        .expect_status(StatusCode::OK);
    let c = format!(
        "contract_no,kind,counterparty,counterparty_id,start_on,end_on,annual_rent_yuan,paid_yuan\n\
         HT-5,土地租赁,王建国,{id},2020-01-01,2029-12-31,1000,0\n"
    );
    import(&t, &tok, "contracts", &c, "c.csv")
        .await
        .expect_status(StatusCode::OK);

    let body = "debt_no,creditor,principal_yuan\nZW-1,县建筑公司,1500\nZW-2,信用社,500\n";
    let r = import(&t, &tok, "debts", body, "debts2.csv")
        .await
        .expect_status(StatusCode::OK);
    assert_eq!(r.json()["updated"], 2);
    import(
        &t,
        &tok,
        "contracts",
        &c.replace(",1000,0", ",1200,0"),
        "c2.csv",
    )
    .await
    .expect_status(StatusCode::OK);

    let admin = t.token("admin").await;
    let log = get(&t, &admin, "/api/v1/audit?action=ledger.debt.update").await;
    let items = log["items"].as_array().unwrap();
    // one entry per record the import changed (ZW-2 did not change)
    assert_eq!(items.len(), 1, "{log}");
    assert_eq!(items[0]["entity_type"], "debt");
    assert_eq!(items[0]["actor_name"], "accountant_a");
    let s: Value = serde_json::from_str(items[0]["summary"].as_str().unwrap()).unwrap();
    assert_eq!(s["before"]["debt_no"], "ZW-1");
    assert_eq!(s["before"]["principal_yuan"], "1000.00");
    assert_eq!(s["after"]["principal_yuan"], "1500.00");
    assert_eq!(s["import"], "debts2.csv");

    let log = get(&t, &admin, "/api/v1/audit?action=ledger.contract.update").await;
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{log}");
    let summary = items[0]["summary"].as_str().unwrap();
    assert!(!summary.contains(&id), "resident ID in clear: {summary}");
    let s: Value = serde_json::from_str(summary).unwrap();
    assert_eq!(s["before"]["annual_rent_yuan"], "1000.00");
    assert_eq!(s["after"]["annual_rent_yuan"], "1200.00");
    assert_eq!(
        s["after"]["counterparty_id"],
        s["before"]["counterparty_id"]
    );
    assert!(s["after"]["counterparty_id"]
        .as_str()
        .unwrap()
        .contains('*'));
}
both!(import_audit, import_updates_are_audited);

async fn arrears_flags(t: &TestApp, tok: &str) -> usize {
    get(
        t,
        tok,
        &format!("/api/v1/villages/{VILLAGE_A}/ledger/flags"),
    )
    .await
    .as_array()
    .unwrap()
    .iter()
    .filter(|f| f["code"] == "arrears")
    .count()
}

/// Under a linguistic collation PostgreSQL ignores punctuation, so a `[root, root + ":")` code
/// range is empty there. On PostgreSQL the code columns are switched to ICU English first (the
/// database itself cannot be recreated under another collation from a test); SQLite runs the
/// same checks as they are.
async fn scope_queries_hold_under_any_collation(mut t: TestApp) {
    if t.db.backend == Backend::Postgres {
        use sqlx::Row;
        let icu = sqlx::query("SELECT COUNT(*) FROM pg_collation WHERE collname = 'en-x-icu'")
            .fetch_one(&t.app.db.pool)
            .await
            .unwrap()
            .get::<i64, _>(0);
        if icu == 0 {
            eprintln!("no ICU collation in this PostgreSQL: checked under its default only");
        } else {
            let cols = sqlx::query(
                "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND data_type = 'text' \
                 AND (column_name = 'code' OR column_name LIKE '%\\_code')",
            )
            .fetch_all(&t.app.db.pool)
            .await
            .unwrap();
            assert!(cols.len() > 5, "code columns: {}", cols.len());
            for c in &cols {
                let (table, column): (String, String) = (c.get(0), c.get(1));
                sqlx::query(&format!(
                    "ALTER TABLE {table} ALTER COLUMN {column} TYPE TEXT COLLATE \"en-x-icu\""
                ))
                .execute(&t.app.db.pool)
                .await
                .unwrap();
            }
            // statements prepared on the pooled connections were planned for the old types
            t.app = app::App::open(&t.db.url, app::PersonalCipher::new([42; 32]))
                .await
                .unwrap();
            t.router = web::router(t.app.clone(), true);
        }
    }
    let tok = t.token("accountant_a").await;
    import(&t, &tok, "contracts", &contracts("0"), "c.csv")
        .await
        .expect_status(StatusCode::OK);
    let officer = t.token("township").await;
    let rows = get(
        &t,
        &officer,
        &format!("/api/v1/units/{TOWNSHIP}/ledger/villages?sort=village&order=asc"),
    )
    .await;
    let rows = rows.as_array().unwrap();
    let villages: Vec<&str> = rows
        .iter()
        .map(|r| r["village"].as_str().unwrap())
        .collect();
    assert!(
        villages.contains(&VILLAGE_A) && villages.contains(&VILLAGE_A2),
        "{rows:?}"
    );
    let a = rows.iter().find(|r| r["village"] == VILLAGE_A).unwrap();
    assert_eq!(a["contracts"]["count"], 2, "{a}");

    // new county rules reach every village with contracts: a long arrears grace clears the flag
    assert_eq!(arrears_flags(&t, &tok).await, 1);
    app::ledger::set_rules(
        &t.app,
        &t.actor("admin").await,
        testkit::COUNTY,
        "arrears_days = 100000\n",
    )
    .await
    .unwrap();
    assert_eq!(arrears_flags(&t, &tok).await, 0);
}
both!(collation, scope_queries_hold_under_any_collation);

async fn principal_cannot_drop_below_what_is_resolved(t: testkit::TestApp) {
    use app::ledger::{import::import, Kind};
    let cli = app::Actor::cli();
    let v = testkit::VILLAGE_A;
    let debts = "debt_no,creditor,principal_yuan\nD1,甲,1000\nD2,乙,800\n";
    import(
        &t.app,
        &cli,
        v,
        Kind::Debts,
        "d.csv",
        debts.as_bytes(),
        false,
    )
    .await
    .unwrap();
    let actions = "debt_no,method,amount_yuan,acted_on\nD1,repayment,600,2024-01-02\n";
    import(
        &t.app,
        &cli,
        v,
        Kind::DebtActions,
        "a.csv",
        actions.as_bytes(),
        false,
    )
    .await
    .unwrap();
    let lower = "debt_no,creditor,principal_yuan\nD1,甲,500\nD2,乙,100\n";
    let issues = testkit::import_issues(
        import(
            &t.app,
            &cli,
            v,
            Kind::Debts,
            "d2.csv",
            lower.as_bytes(),
            false,
        )
        .await,
    );
    let places: Vec<String> = issues
        .iter()
        .map(|i| format!("{}:{}", i.row, i.column))
        .collect();
    assert_eq!(
        places,
        vec!["2:principal_yuan".to_string()],
        "only D1 has resolutions"
    );
    assert!(
        issues[0].message.en.contains("600.00") && issues[0].message.zh.contains("600.00"),
        "{}",
        issues[0].message
    );
}
testkit::both!(principal_cannot_drop_below_what_is_resolved);
