//! Fairness against favouritism (own household, declared relation, heavy items need a second,
//! different and unrelated recorder) and scope (grid members only score their grids; other
//! villages see nothing; banks see only consenting households with final grades).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{dated_steps, declare, grid, households, open_round};
use domain::access::Role;
use serde_json::json;
use testkit::{TestApp, VILLAGE_A};

fn rec(hh: i64, item: &str) -> serde_json::Value {
    json!({"household_id": hh, "item_code": item, "occurred_on": "2024-04-02", "evidence": "photo.jpg"})
}

async fn fairness_and_scope(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 5).await;
    let (own, kin, outside, ok_hh) = (ids[0], ids[1], ids[2], ids[3]);
    let g = grid(&t, VILLAGE_A, &[own, kin, ok_hh, ids[4]]).await;
    t.add_account("grid1", Role::GridMember, &g).await;
    t.add_account("grid2", Role::GridMember, &g).await;
    let grid1 = t.token("grid1").await;
    let grid2 = t.token("grid2").await;
    let cadre = t.token("cadre_a").await;
    let round = open_round(&t, &cadre, VILLAGE_A).await;
    let records = format!("/api/v1/credit/rounds/{round}/records");

    for (hh, kind) in [(own, "own"), (kin, "relation")] {
        declare(&t, &grid1, hh, kind).await.expect_status(201);
    }
    declare(&t, &grid2, ok_hh, "relation")
        .await
        .expect_status(201);

    // Own household and declared relation: refused; outside the grid member's grids: not found.
    let refused = [
        (own, 403, "own household"),
        (kin, 403, "relation"),
        (outside, 404, ""),
    ];
    for (hh, status, text) in refused {
        let r = t.api_post(&records, &grid1, rec(hh, "SV01")).await;
        r.expect_status(status).assert_contains(&[text]);
    }
    assert_eq!(t.count("credit_records").await, 0);
    t.get(
        &format!("/credit/rounds/{round}/households/{outside}"),
        &t.login("grid1").await,
    )
    .await
    .expect_status(404);

    // A light item counts at once; a heavy one waits for a second, different, unrelated recorder.
    let r = t
        .api_post(&records, &grid1, rec(ok_hh, "SV01"))
        .await
        .expect_status(201);
    assert_eq!(r.json()["pending"], false);
    let heavy = t
        .api_post(&records, &grid1, rec(ok_hh, "HR01"))
        .await
        .json();
    assert_eq!(heavy["pending"], true);
    let confirm = format!("/api/v1/credit/records/{}/confirm", heavy["id"]);
    t.api_post_empty(&confirm, &grid1)
        .await
        .expect_status_because(403, "the recorder cannot confirm");
    let r = t.api_post_empty(&confirm, &grid2).await;
    assert_eq!(r.status, 403, "a related confirmer is refused: {}", r.body);
    let b = t
        .api_json(
            &format!("/api/v1/credit/rounds/{round}/households/{ok_hh}"),
            &cadre,
        )
        .await;
    assert_eq!(b["breakdown"]["total"], 62, "60 + 2; HR01 still pending");
    t.api_post_empty(&confirm, &cadre).await.expect_status(200);
    let b = t
        .api_json(
            &format!("/api/v1/credit/rounds/{round}/households/{ok_hh}"),
            &cadre,
        )
        .await;
    assert_eq!(b["breakdown"]["total"], 72);
    assert_eq!(
        testkit::find(&b["records"], "item_code", "HR01")["confirmed_by"],
        "cadre_a"
    );
    assert_eq!(t.scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('credit.record.create', 'credit.record.confirm')").await, 3);

    // Grid members cannot run the assessment of the whole village.
    t.api_post_empty(&format!("/api/v1/credit/rounds/{round}/assess"), &grid1)
        .await
        .expect_status(403);

    // Another village sees nothing of this round.
    let b_token = t.token("cadre_b").await;
    t.api_get(&format!("/api/v1/credit/rounds/{round}"), &b_token)
        .await
        .expect_status(404);
    t.api_get(
        &format!("/api/v1/credit/rounds/{round}/households/{ok_hh}"),
        &b_token,
    )
    .await
    .expect_status(404);
    t.api_post_empty(&format!("/api/v1/credit/rounds/{round}/assess"), &b_token)
        .await
        .expect_status(404);
    assert!(t
        .api_json("/api/v1/credit/rounds", &b_token)
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let s = t.login("cadre_b").await;
    t.get(&format!("/credit/rounds/{round}"), &s)
        .await
        .expect_status(404);

    // Filing: only ok_hh consents to share with banks.
    for (hh, consent) in [(ok_hh, true), (ids[4], false)] {
        t.api_put(&format!("/api/v1/households/{hh}/credit-profile"), &grid1, json!({"labour": 2, "industry": "养殖", "income_band": "5-10万", "loans": "无", "repayment": "按时", "consent_to_share": consent})).await.expect_status(200);
    }
    let admin = t.token("admin").await;
    let days = [
        ("assess", "2024-05-01"),
        ("publish", "2024-05-01"),
        ("finalize", "2024-05-08"),
    ];
    dated_steps(&t, &admin, round, &days).await;
    let c = t
        .api_post(
            &format!("/api/v1/credit/rounds/{round}/households/{ok_hh}/corrections"),
            &grid1,
            json!({"points": 5, "reason": "x"}),
        )
        .await;
    assert_eq!(
        c.status, 403,
        "grid members do not correct final results: {}",
        c.body
    );
    let bank = t.token("bank").await;
    let seen = t.api_json("/api/v1/credit/bank/households", &bank).await;
    let seen_ids: Vec<i64> = seen
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["household_id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen_ids, vec![ok_hh], "only the consenting household");
    assert_eq!(seen[0]["grade"], "A");
    let line = |hh: i64| json!({"household_id": hh, "amount_fen": 5_000_000, "term_months": 12, "rate_bp": 435, "granted_on": "2024-06-01"});
    t.api_post("/api/v1/credit/lines", &bank, line(ids[4]))
        .await
        .expect_status_because(404, "no consent, no credit line");
    t.api_post("/api/v1/credit/lines", &cadre, line(ok_hh))
        .await
        .expect_status_because(403, "cadres do not grant credit");
    // An absurd amount is refused on its field (it would overflow the county's sums).
    let huge = json!({"household_id": ok_hh, "amount_fen": i64::MAX, "term_months": 12, "rate_bp": 435, "granted_on": "2024-06-01"});
    let res = t
        .api_post("/api/v1/credit/lines", &bank, huge)
        .await
        .expect_status(422);
    assert_eq!(res.json()["error"]["fields"][0]["field"], "amount_fen");
    t.api_post("/api/v1/credit/lines", &bank, line(ok_hh))
        .await
        .expect_status(201);
    let bank_session = t.login("bank").await;
    let bank_page = t.page("/credit/bank", &bank_session).await;
    let x = t.page("/credit/bank.xlsx", &bank_session).await;
    assert!(x.body.starts_with("PK"), "not an XLSX file");
    assert!(
        bank_page.body.contains("50,000.00") && bank_page.body.contains("陈区村"),
        "lines by village (by name) on the bank page"
    );
    let by_village = t
        .api_json(
            &format!("/api/v1/units/{}/credit/lines", testkit::TOWNSHIP),
            &t.token("township").await,
        )
        .await;
    assert_eq!(
        by_village,
        json!([{"village_code": VILLAGE_A, "village_name": "陈区村委会", "households": 1, "amount_fen": 5_000_000}])
    );
    let officer = t.get("/credit", &t.login("township").await).await;
    assert!(
        officer.body.contains("50,000.00") && officer.body.contains("A级及以上占比"),
        "officers see lines by village"
    );
    let s = t
        .api_json(
            &format!("/api/v1/units/{}/credit/summary", testkit::TOWNSHIP),
            &bank,
        )
        .await;
    assert_eq!(
        s["credit_lines"],
        json!({"households": 1, "amount_fen": 5_000_000})
    );
    // Bank officers outside the township see nothing there.
    t.api_get("/api/v1/credit/bank/households?unit=140581101201", &bank)
        .await
        .expect_status(404);
}
testkit::both!(fairness_refusals_and_scope, fairness_and_scope);
