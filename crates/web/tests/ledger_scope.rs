//! Scope: a village cadre cannot read or import another village's ledgers (404 on the API and
//! the pages); a township officer ranks the villages of the township only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use testkit::{both, TestApp, TOWNSHIP, VILLAGE_A, VILLAGE_A2, VILLAGE_B};

const DEBTS: &str = "debt_no,creditor,principal_yuan\nZW-1,甲,1000\n";

async fn scope(t: TestApp) {
    let a = t.token("cadre_a").await;
    let a2 = t.token("cadre_a2").await;
    let b = t.token("cadre_b").await;
    for (tok, v) in [(&a, VILLAGE_A), (&a2, VILLAGE_A2), (&b, VILLAGE_B)] {
        t.import_ledger(tok, v, "kind=debts", DEBTS)
            .await
            .expect_status(StatusCode::OK);
    }
    let before = t.count("debts").await;
    // cadre_b against village A: 404 everywhere, nothing written
    for path in [
        "summary",
        "contracts",
        "debts",
        "claims",
        "resources",
        "flags",
        "export?kind=debts&format=csv",
    ] {
        let r = t
            .api_get(&format!("/api/v1/villages/{VILLAGE_A}/ledger/{path}"), &b)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
    }
    let debts = "debt_no,creditor,principal_yuan\nZW-7,乙,5\n";
    t.import_ledger(&b, VILLAGE_A, "kind=debts", debts)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    t.api_get(&format!("/api/v1/units/{TOWNSHIP}/ledger/villages"), &b)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert_eq!(t.count("debts").await, before);
    let s = t.login("cadre_b").await;
    for path in ["", "/contracts", "/debts", "/report", "/import"] {
        let r = t
            .get(&format!("/villages/{VILLAGE_A}/ledger{path}"), &s)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "page {path}");
    }
    t.post_file(
        &format!("/villages/{VILLAGE_A}/ledger/import"),
        &s,
        "d.csv",
        DEBTS.as_bytes(),
        &[("kind", "debts")],
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    // officers read but do not write
    let officer = t.token("township").await;
    t.import_ledger(&officer, VILLAGE_A, "kind=debts", DEBTS)
        .await
        .expect_status(StatusCode::FORBIDDEN);
    let rows = t
        .api_get(
            &format!("/api/v1/units/{TOWNSHIP}/ledger/villages?sort=village&order=asc"),
            &officer,
        )
        .await
        .expect_status(StatusCode::OK);
    let codes: Vec<String> = rows
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["village"].as_str().unwrap().to_string())
        .collect();
    assert!(
        codes.contains(&VILLAGE_A.to_string()) && codes.contains(&VILLAGE_A2.to_string()),
        "{codes:?}"
    );
    assert!(!codes.contains(&VILLAGE_B.to_string()));
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
    t.api_get(
        &format!("/api/v1/units/{TOWNSHIP}/ledger/villages?sort=bogus"),
        &officer,
    )
    .await
    .expect_status(StatusCode::BAD_REQUEST);
    let s = t.login("township").await;
    let page = t
        .page(
            &format!("/units/{TOWNSHIP}/ledger?sort=principal_fen&order=desc"),
            &s,
        )
        .await;
    assert!(
        page.body.contains(&format!("/villages/{VILLAGE_A}/ledger")) && page.body.contains("<svg")
    );
    assert!(!page.body.contains(&format!("/villages/{VILLAGE_B}/ledger")));
    // By progress, a village without debts says so and comes last (not ranked at 0 %).
    let page = t.get(&format!("/units/{TOWNSHIP}/ledger"), &s).await;
    let table = &page.body[page.body.find("<tbody>").unwrap_or(0)..];
    let at = |what: &str| table.find(what).unwrap_or(usize::MAX);
    let none = at("无债务");
    assert!(none < usize::MAX, "{}", page.body);
    assert!(
        at(&format!("/villages/{VILLAGE_A}/ledger")) < none
            && at(&format!("/villages/{VILLAGE_A2}/ledger")) < none,
        "{}",
        page.body
    );
    // The same table as a spreadsheet, in scope.
    let x = t
        .page(&format!("/units/{TOWNSHIP}/ledger/ranking.xlsx"), &s)
        .await;
    assert!(x.body.starts_with("PK"), "not an XLSX file");
    assert!(x
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("ranking.xlsx")));
    t.get("/units/140581101/ledger/ranking.xlsx", &s)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    t.get(&format!("/villages/{VILLAGE_B}/ledger"), &s)
        .await
        .expect_status(StatusCode::NOT_FOUND);
}
both!(
    cadre_b_cannot_reach_village_a_and_ranking_stays_in_scope,
    scope
);
