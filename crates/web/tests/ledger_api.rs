//! The ledger API: documented in the OpenAPI document, updates keep their invariants, and the
//! summary JSON is the CLI's (`grassroots ledger summary --json` prints the same value).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::{Method, StatusCode};
use serde_json::json;
use testkit::{both, TestApp, VILLAGE_A};

const PATHS: &[&str] = &[
    "/api/v1/villages/{code}/ledger/summary",
    "/api/v1/units/{code}/ledger/villages",
    "/api/v1/villages/{code}/ledger/contracts",
    "/api/v1/villages/{code}/ledger/contracts/{id}",
    "/api/v1/villages/{code}/ledger/flags",
    "/api/v1/villages/{code}/ledger/flags/{id}",
    "/api/v1/villages/{code}/ledger/recompute",
    "/api/v1/villages/{code}/ledger/debts",
    "/api/v1/villages/{code}/ledger/debts/{id}",
    "/api/v1/villages/{code}/ledger/debts/{id}/actions",
    "/api/v1/villages/{code}/ledger/claims",
    "/api/v1/villages/{code}/ledger/claims/{id}",
    "/api/v1/villages/{code}/ledger/claims/{id}/collections",
    "/api/v1/villages/{code}/ledger/resources",
    "/api/v1/villages/{code}/ledger/resources/{id}",
    "/api/v1/villages/{code}/ledger/resources/{id}/charges",
    "/api/v1/villages/{code}/ledger/import",
    "/api/v1/villages/{code}/ledger/export",
];

async fn api(t: TestApp) {
    let tok = t.token("accountant_a").await;
    let doc = t
        .api(Method::GET, "/api/v1/openapi.json", &tok, None)
        .await
        .json();
    for p in PATHS {
        assert!(doc["paths"].get(*p).is_some(), "{p} is documented");
    }
    assert!(doc["components"]["schemas"]["LedgerSummary"].is_object());
    assert!(
        doc["paths"]["/api/v1/me"].is_object(),
        "the core paths are still there"
    );

    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    let r = t
        .api(
            Method::POST,
            &format!("{base}/debts"),
            &tok,
            Some(json!({"debt_no": "ZW-1", "creditor": "信用社", "principal_yuan": "1000"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let r = t
        .api(
            Method::POST,
            &format!("{base}/debts/{id}/actions"),
            &tok,
            Some(json!({"method": "write_off", "amount_yuan": "600", "acted_on": "2024-01-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = t
        .api(
            Method::PUT,
            &format!("{base}/debts/{id}"),
            &tok,
            Some(json!({"debt_no": "ZW-1", "creditor": "信用社", "principal_yuan": "599.99"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = t
        .api(
            Method::PUT,
            &format!("{base}/debts/{id}"),
            &tok,
            Some(json!({"debt_no": "ZW-1", "creditor": "县信用社", "principal_yuan": "800"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .api(
            Method::POST,
            &format!("{base}/claims"),
            &tok,
            Some(json!({"claim_no": "ZQ-1", "debtor": "张三", "amount_yuan": "50"})),
        )
        .await;
    let claim = r.json()["id"].as_i64().unwrap();
    let r = t
        .api(
            Method::POST,
            &format!("{base}/claims/{claim}/collections"),
            &tok,
            Some(json!({"amount_yuan": "50.01", "collected_on": "2024-02-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("收回金额超出剩余债权"));
    let r = t
        .api(
            Method::POST,
            &format!("{base}/claims/{claim}/collections"),
            &tok,
            Some(json!({"amount_yuan": "50", "collected_on": "2024-02-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let claims = t
        .api(Method::GET, &format!("{base}/claims"), &tok, None)
        .await
        .json();
    assert_eq!(claims[0]["claim_status"], "collected");
    let r = t
        .api(
            Method::POST,
            &format!("{base}/resources"),
            &tok,
            Some(json!({"resource_no": "ZY-1", "kind": "arable", "status": "contracted"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a contracted resource needs its contract"
    );

    // land used without a contract is charged: a claim with origin resource:<no>
    let r = t
        .api(Method::POST, &format!("{base}/resources"), &tok, Some(json!({"resource_no": "ZY-2", "kind": "reserve_land", "status": "occupied_without_contract", "area_mu": "3"})))
        .await;
    let res = r.json()["id"].as_i64().unwrap();
    let charge =
        |amount: &str| json!({"debtor": "王五", "amount_yuan": amount, "arose_on": "2024-09-01"});
    let r = t
        .api(
            Method::POST,
            &format!("{base}/resources/{res}/charges"),
            &tok,
            Some(charge("abc")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = t
        .api(
            Method::POST,
            &format!("{base}/resources/{res}/charges"),
            &tok,
            Some(charge("1500")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let claims = t
        .api(Method::GET, &format!("{base}/claims"), &tok, None)
        .await
        .json();
    let c = claims
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["origin"] == "resource:ZY-2")
        .unwrap()
        .clone();
    assert_eq!(
        (c["claim_no"].as_str(), c["amount_fen"].as_i64()),
        (Some("SF-ZY-2-1"), Some(150_000))
    );
    let s = t.login("accountant_a").await;
    let page = t
        .get(&format!("/villages/{VILLAGE_A}/ledger/resources"), &s)
        .await;
    assert!(page.body.contains("SF-ZY-2-1") && page.body.contains("登记收费"));
    let r = t
        .post_form(
            &format!("/villages/{VILLAGE_A}/ledger/resources/{res}/charges"),
            &s,
            &[("debtor", ""), ("amount_yuan", "10")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The page is in the reader's language (Chinese by default).
    assert!(r.body.contains("请填写债务人"), "{}", r.body);

    let summary = t
        .api(Method::GET, &format!("{base}/summary"), &tok, None)
        .await
        .json();
    assert_eq!(summary["debts"]["progress_pct"], 75.0);
    assert_eq!(summary["claims"]["amount_fen"], 5_000 + 150_000);
    let cli = app::ledger::summary::village_summary(&t.app, &app::Actor::cli(), VILLAGE_A)
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&cli).unwrap(),
        summary,
        "CLI and API print the same JSON"
    );
    let r = t
        .api(
            Method::GET,
            "/api/v1/villages/140581104/ledger/summary",
            &tok,
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a township code is outside a village account"
    );
    let bank = t.token("bank").await;
    let r = t
        .api(Method::GET, &format!("{base}/summary"), &bank, None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "bank officers do not read village books"
    );
    assert!(t.count("audit_log WHERE action IN ('ledger.debt.create', 'ledger.debt.update', 'ledger.debt.action', 'ledger.claim.collection', 'ledger.resource.charge')").await >= 5);
}
both!(ledger_api_documented_and_consistent, api);
