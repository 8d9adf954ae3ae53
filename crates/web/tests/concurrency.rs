//! Concurrent writers (issue 7, findings 3 and 3a), on SQLite (a file database, so its real
//! locking) and PostgreSQL: running totals hold with 16 writers on each row, no write answers
//! 5xx, and every acknowledged write is in the database afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use axum::body::Body;
use axum::http::{Method, Request};
use credit_support::households;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Instant;
use testkit::{both, TestApp, VILLAGE_A};
use tower::ServiceExt;

type Call = (Method, String, Value);

/// Runs each plan on its own task (the plans at once, each plan's calls in order) against the
/// in-process router; returns each plan's statuses in order.
async fn run_writers(t: &TestApp, token: &str, plans: Vec<Vec<Call>>) -> Vec<Vec<u16>> {
    let mut tasks = Vec::new();
    for plan in plans {
        let router = t.router.clone();
        let token = token.to_string();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for (method, path, body) in plan {
                let req = Request::builder()
                    .method(method)
                    .uri(path)
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap();
                let res = router.clone().oneshot(req).await.unwrap();
                let status = res.status().as_u16();
                let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
                    .await
                    .unwrap();
                assert!(
                    status < 500,
                    "a concurrent write answered {status}: {}",
                    String::from_utf8_lossy(&bytes)
                );
                out.push(status);
            }
            out
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.push(task.await.unwrap());
    }
    all
}

fn tally(statuses: &[Vec<u16>]) -> HashMap<u16, usize> {
    let mut m = HashMap::new();
    for s in statuses.iter().flatten() {
        *m.entry(*s).or_insert(0) += 1;
    }
    m
}

async fn create(t: &TestApp, token: &str, path: &str, body: Value) -> i64 {
    let r = t.api_post(path, token, body).await;
    assert_eq!(r.status, 201, "{path}: {}", r.body);
    let v = r.json();
    v["id"].as_i64().or(v["goods"].as_i64()).unwrap()
}

/// 16 writers, each posting one 1-unit write to each of ten rows holding 10 units: exactly
/// 100 fit. `path_of(row)` is the write's path, `body` its JSON.
async fn sixteen_on_ten(
    t: &TestApp,
    token: &str,
    rows: &[i64],
    call: impl Fn(i64) -> Call,
) -> (HashMap<u16, usize>, u128) {
    let plans = (0..16)
        .map(|w| {
            (0..rows.len())
                .map(|k| call(rows[(k + w) % rows.len()]))
                .collect()
        })
        .collect();
    let started = Instant::now();
    let statuses = run_writers(t, token, plans).await;
    (tally(&statuses), started.elapsed().as_millis())
}

async fn running_totals_hold(t: TestApp) {
    let engine = format!("{:?}", t.db.backend);
    let tok = t.token("accountant_a").await;
    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    let (mut debts, mut claims) = (Vec::new(), Vec::new());
    let (debts_path, claims_path) = (format!("{base}/debts"), format!("{base}/claims"));
    for i in 0..10 {
        let debt =
            json!({"debt_no": format!("ZW-{i}"), "creditor": "信用社", "principal_yuan": "10"});
        debts.push(create(&t, &tok, &debts_path, debt).await);
        let claim = json!({"claim_no": format!("ZQ-{i}"), "debtor": "张三", "amount_yuan": "10"});
        claims.push(create(&t, &tok, &claims_path, claim).await);
    }

    // Debts: resolved ≤ principal.
    let (n, ms) = sixteen_on_ten(&t, &tok, &debts, |id| {
        (
            Method::POST,
            format!("{base}/debts/{id}/actions"),
            json!({"method": "repayment", "amount_yuan": "1", "acted_on": "2024-03-01"}),
        )
    })
    .await;
    eprintln!("{engine} debt actions: {n:?} in {ms} ms");
    assert_eq!((n.get(&201), n.get(&422)), (Some(&100), Some(&60)), "{n:?}");
    for id in &debts {
        let sum = t.scalar(&format!(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM debt_actions WHERE debt_id = {id}")).await;
        assert_eq!(sum, 1000, "debt {id} resolved exactly its principal");
    }

    // Claims: collected ≤ amount.
    let (n, ms) = sixteen_on_ten(&t, &tok, &claims, |id| {
        (
            Method::POST,
            format!("{base}/claims/{id}/collections"),
            json!({"amount_yuan": "1", "collected_on": "2024-03-01"}),
        )
    })
    .await;
    eprintln!("{engine} claim collections: {n:?} in {ms} ms");
    assert_eq!((n.get(&201), n.get(&422)), (Some(&100), Some(&60)), "{n:?}");
    for id in &claims {
        let sum = t.scalar(&format!(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM claim_collections WHERE claim_id = {id}")).await;
        assert_eq!(sum, 1000, "claim {id} collected exactly its amount");
    }

    // Points: balance ≥ 0 (10 points each, 1 point a redemption), then stock ≥ 0.
    let cadre = t.token("cadre_a").await;
    let actor = t.actor("cadre_a").await;
    let homes = households(&t, VILLAGE_A, 10).await;
    // (points given to each, goods, stock, what limits, 201s and 409s, stock and balance after)
    let rounds = [
        (10, "肥皂", 1000, "balance", (100, 60), (900, 0)),
        (100, "食用油", 50, "stock", (50, 110), (0, 950)),
    ];
    for (points, name, stock, limit, (ok, refused), (stock_after, balance_after)) in rounds {
        for h in &homes {
            app::credit::points::adjust(&t.app, &actor, *h, points, "测试积分")
                .await
                .unwrap();
        }
        let goods = create(
            &t,
            &cadre,
            "/api/v1/credit/goods",
            json!({"village_code": VILLAGE_A, "name": name, "price_points": 1, "stock": stock}),
        )
        .await;
        let (n, ms) = sixteen_on_ten(&t, &cadre, &homes, |h| {
            (
                Method::POST,
                "/api/v1/credit/redemptions".into(),
                json!({"household_id": h, "goods_id": goods, "qty": 1}),
            )
        })
        .await;
        eprintln!("{engine} redemptions ({limit}): {n:?} in {ms} ms");
        assert_eq!(
            (n.get(&201), n.get(&409)),
            (Some(&ok), Some(&refused)),
            "{n:?}"
        );
        let sql = format!("SELECT stock FROM credit_goods WHERE id = {goods}");
        assert_eq!(t.scalar(&sql).await, stock_after);
        let sql = "SELECT CAST(SUM(balance) AS BIGINT) FROM points_accounts";
        assert_eq!(t.scalar(sql).await, balance_after);
    }
    assert_eq!(
        t.scalar("SELECT COUNT(*) FROM credit_redemptions").await,
        150
    );
}
both!(running_totals_hold);

/// The values of the acknowledged writes `pick` chooses, in order.
fn acked_values<'a>(
    acked: impl IntoIterator<Item = &'a Acked>,
    pick: impl Fn(&Acked) -> Option<String>,
) -> Vec<String> {
    acked.into_iter().filter_map(pick).collect()
}

/// What a writer wrote, when the server acknowledged it.
#[derive(Debug, Clone, PartialEq)]
enum Acked {
    Head(i64, String),
    Action(i64),
    Industry(i64, String),
}

impl Acked {
    /// The head name written to `household`, if this was such a write.
    fn head(&self, household: i64) -> Option<String> {
        match self {
            Acked::Head(h, v) if *h == household => Some(v.clone()),
            _ => None,
        }
    }

    /// The industry written to `household`'s credit profile, if this was such a write.
    fn industry(&self, household: i64) -> Option<String> {
        match self {
            Acked::Industry(h, v) if *h == household => Some(v.clone()),
            _ => None,
        }
    }
}

async fn text(t: &TestApp, sql: &str) -> String {
    use sqlx::Row;
    sqlx::query(sql)
        .fetch_one(&t.app.db.pool)
        .await
        .unwrap()
        .get::<String, _>(0)
}

/// 8 writers × 50 writes, alternating between one row they all share and a row of their own:
/// household updates, debt actions and credit-profile filings. No 5xx; every acknowledged
/// write is there (own rows end with the writer's last write, the shared row with one of the
/// acknowledged writes and one audit entry per acknowledgement).
async fn acknowledged_writes_stay(t: TestApp) {
    let engine = format!("{:?}", t.db.backend);
    let tok = t.token("cadre_a").await;
    let homes = households(&t, VILLAGE_A, 9).await;
    let base = format!("/api/v1/villages/{VILLAGE_A}/ledger");
    let mut debts = Vec::new();
    for i in 0..9 {
        debts.push(create(&t, &tok, &format!("{base}/debts"),
            json!({"debt_no": format!("ZW-{i}"), "creditor": "信用社", "principal_yuan": "100000"})).await);
    }
    let mut plans = Vec::new();
    let mut intents = Vec::new();
    for w in 0..8usize {
        let (mut plan, mut intent) = (Vec::new(), Vec::new());
        for i in 0..50usize {
            let row = if (i / 3) % 2 == 0 { 0 } else { w + 1 };
            let (h, d) = (homes[row], debts[row]);
            let value = format!("{w}-{i}");
            match i % 3 {
                0 => {
                    plan.push((Method::PUT, format!("/api/v1/households/{h}"),
                        json!({"household_no": format!("{:03}", row + 1), "head_name": format!("户主{value}"), "address": "", "tags": "", "notes": ""})));
                    intent.push(Acked::Head(h, format!("户主{value}")));
                }
                1 => {
                    plan.push((Method::POST, format!("{base}/debts/{d}/actions"),
                        json!({"method": "repayment", "amount_yuan": "1", "acted_on": "2024-03-01"})));
                    intent.push(Acked::Action(d));
                }
                _ => {
                    plan.push((Method::PUT, format!("/api/v1/households/{h}/credit-profile"),
                        json!({"labour": 2, "industry": format!("养殖{value}"), "income_band": "5-10万", "loans": "无", "repayment": "按时", "consent_to_share": true})));
                    intent.push(Acked::Industry(h, format!("养殖{value}")));
                }
            }
        }
        plans.push(plan);
        intents.push(intent);
    }
    let started = Instant::now();
    let statuses = run_writers(&t, &tok, plans).await;
    let ms = started.elapsed().as_millis();
    let n = tally(&statuses);
    eprintln!("{engine} 8 × 50 mixed writes: {n:?} in {ms} ms");
    let acked: Vec<Vec<Acked>> = intents
        .iter()
        .zip(&statuses)
        .map(|(i, s)| {
            i.iter()
                .zip(s)
                .filter(|(_, s)| (200..300).contains(*s))
                .map(|(i, _)| i.clone())
                .collect()
        })
        .collect();
    assert_eq!(
        acked.iter().map(Vec::len).sum::<usize>(),
        400,
        "every write accepted: {n:?}"
    );

    // Debt actions: one row per acknowledgement, on the right debt.
    for d in &debts {
        let want = acked
            .iter()
            .flatten()
            .filter(|a| **a == Acked::Action(*d))
            .count() as i64;
        let got = t
            .scalar(&format!(
                "SELECT COUNT(*) FROM debt_actions WHERE debt_id = {d}"
            ))
            .await;
        assert_eq!(got, want, "debt {d}");
    }
    // Own rows end with their writer's last write; the shared row with some acknowledged write.
    for (w, mine) in acked.iter().enumerate() {
        let own = homes[w + 1];
        let last_head = acked_values(mine, |a| a.head(own)).pop().unwrap();
        let head = format!("SELECT head_name FROM households WHERE id = {own}");
        assert_eq!(text(&t, &head).await, last_head);
        let last_industry = acked_values(mine, |a| a.industry(own)).pop().unwrap();
        let industry = format!("SELECT industry FROM credit_profiles WHERE household_id = {own}");
        assert_eq!(text(&t, &industry).await, last_industry);
    }
    let shared = homes[0];
    // What the shared household holds is one of the acknowledged values, for each field.
    let heads = acked_values(acked.iter().flatten(), |a| a.head(shared));
    let head = format!("SELECT head_name FROM households WHERE id = {shared}");
    assert!(heads.contains(&text(&t, &head).await));
    let audited = t.scalar(&format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'household.update' AND entity_id = '{shared}'")).await;
    assert_eq!(
        audited,
        heads.len() as i64,
        "one audit entry per acknowledged update"
    );
    let industries = acked_values(acked.iter().flatten(), |a| a.industry(shared));
    let industry = format!("SELECT industry FROM credit_profiles WHERE household_id = {shared}");
    assert!(industries.contains(&text(&t, &industry).await));
}
both!(acknowledged_writes_stay);

/// The kept per-village counts (migration 14, triggers) under parallel household writers on
/// one village: no 5xx, and the counts equal a recount afterwards.
async fn village_counts_hold(t: TestApp) {
    let token = t.token("cadre_a").await;
    let plans: Vec<Vec<Call>> = (0..8)
        .map(|w| {
            (0..5)
                .map(|i| {
                    (
                        Method::POST,
                        "/api/v1/households".to_string(),
                        json!({"village_code": VILLAGE_A, "household_no": format!("P{w}-{i}"),
                               "head_name": "并发", "members": [{"name": "并发", "relation": "户主"}]}),
                    )
                })
                .collect()
        })
        .collect();
    let statuses = run_writers(&t, &token, plans).await;
    let created = tally(&statuses).get(&201).copied().unwrap_or(0) as i64;
    assert!(created > 0, "{:?}", tally(&statuses));
    let kept = t
        .scalar(&format!(
            "SELECT households FROM village_counts WHERE village_code = '{VILLAGE_A}'"
        ))
        .await;
    let real = t
        .scalar(&format!(
            "SELECT COUNT(*) FROM households WHERE village_code = '{VILLAGE_A}'"
        ))
        .await;
    assert_eq!((kept, real), (created, created));
    let people = t
        .scalar(&format!(
            "SELECT members FROM village_counts WHERE village_code = '{VILLAGE_A}'"
        ))
        .await;
    assert_eq!(people, created);
}
both!(village_counts_hold);
