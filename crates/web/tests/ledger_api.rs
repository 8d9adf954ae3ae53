//! The ledger API: documented in the OpenAPI document, updates keep their invariants, and the
//! summary JSON is the CLI's (`grassroots ledger summary --json` prints the same value).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
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
    let doc = t.api_json("/api/v1/openapi.json", &tok).await;
    for p in PATHS {
        assert!(doc["paths"].get(*p).is_some(), "{p} is documented");
    }
    assert!(doc["components"]["schemas"]["LedgerSummary"].is_object());
    assert!(
        doc["paths"]["/api/v1/me"].is_object(),
        "the core paths are still there"
    );

    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    let debt = json!({"debt_no": "ZW-1", "creditor": "信用社", "principal_yuan": "1000"});
    let r = t
        .api_post(&format!("{base}/debts"), &tok, debt)
        .await
        .expect_status(StatusCode::CREATED);
    let id = r.json()["id"].as_i64().unwrap();
    // An action, then edits of the principal: never below what was already resolved.
    let debt = format!("{base}/debts/{id}");
    let action = json!({"method": "write_off", "amount_yuan": "600", "acted_on": "2024-01-01"});
    t.api_post(&format!("{debt}/actions"), &tok, action)
        .await
        .expect_status(StatusCode::CREATED);
    for (creditor, principal, status) in [
        ("信用社", "599.99", StatusCode::UNPROCESSABLE_ENTITY),
        ("县信用社", "800", StatusCode::OK),
    ] {
        let body = json!({"debt_no": "ZW-1", "creditor": creditor, "principal_yuan": principal});
        t.api_put(&debt, &tok, body).await.expect_status(status);
    }
    let r = t
        .api_post(
            &format!("{base}/claims"),
            &tok,
            json!({"claim_no": "ZQ-1", "debtor": "张三", "amount_yuan": "50"}),
        )
        .await;
    let claim = r.json()["id"].as_i64().unwrap();
    let collections = format!("{base}/claims/{claim}/collections");
    let collect = |amount| json!({"amount_yuan": amount, "collected_on": "2024-02-01"});
    let r = t
        .api_post(&collections, &tok, collect("50.01"))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains(&["收回金额超出剩余债权"]);
    t.api_post(&collections, &tok, collect("50"))
        .await
        .expect_status(StatusCode::CREATED);
    let claims = t.api_json(&format!("{base}/claims"), &tok).await;
    assert_eq!(claims[0]["claim_status"], "collected");
    t.api_post(
        &format!("{base}/resources"),
        &tok,
        json!({"resource_no": "ZY-1", "kind": "arable", "status": "contracted"}),
    )
    .await
    .expect_status_because(
        StatusCode::UNPROCESSABLE_ENTITY,
        "a contracted resource needs its contract",
    );

    // land used without a contract is charged: a claim with origin resource:<no>
    let r = t
        .api_post(&format!("{base}/resources"), &tok, json!({"resource_no": "ZY-2", "kind": "reserve_land", "status": "occupied_without_contract", "area_mu": "3"}))
        .await;
    let res = r.json()["id"].as_i64().unwrap();
    let charge =
        |amount: &str| json!({"debtor": "王五", "amount_yuan": amount, "arose_on": "2024-09-01"});
    let charges = format!("{base}/resources/{res}/charges");
    t.api_post(&charges, &tok, charge("abc"))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    t.api_post(&charges, &tok, charge("1500"))
        .await
        .expect_status(StatusCode::CREATED);
    let claims = t.api_json(&format!("{base}/claims"), &tok).await;
    let c = testkit::find(&claims, "origin", "resource:ZY-2").clone();
    assert_eq!(
        (c["claim_no"].as_str(), c["amount_fen"].as_i64()),
        (Some("SF-ZY-2-1"), Some(150_000))
    );
    let s = t.login("accountant_a").await;
    let page = t
        .get(&format!("/villages/{VILLAGE_A}/ledger/resources"), &s)
        .await;
    assert!(page.body.contains("SF-ZY-2-1") && page.body.contains("登记收费"));
    let charges = format!("/villages/{VILLAGE_A}/ledger/resources/{res}/charges");
    let r = t
        .post_form(&charges, &s, &[("debtor", ""), ("amount_yuan", "10")])
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    // The page is in the reader's language (Chinese by default).
    r.assert_contains(&["请填写债务人"]);

    let summary = t.api_json(&format!("{base}/summary"), &tok).await;
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
    t.api_get("/api/v1/villages/140581104/ledger/summary", &tok)
        .await
        .expect_status_because(
            StatusCode::NOT_FOUND,
            "a township code is outside a village account",
        );
    let bank = t.token("bank").await;
    t.api_get(&format!("{base}/summary"), &bank)
        .await
        .expect_status_because(
            StatusCode::FORBIDDEN,
            "bank officers do not read village books",
        );
    assert!(t.count("audit_log WHERE action IN ('ledger.debt.create', 'ledger.debt.update', 'ledger.debt.action', 'ledger.claim.collection', 'ledger.resource.charge')").await >= 5);
}
both!(ledger_api_documented_and_consistent, api);
