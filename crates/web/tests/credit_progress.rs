//! A round's per-village progress (households, filed, records, assessed, open objections)
//! counts exactly what a hand count over two villages gives, only for that round and only
//! inside the round's unit; a village account sees its own village's line alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod credit_support;

use credit_support::{households, open_round};
use store::credit::rounds::VillageProgress;
use testkit::{TestApp, TOWNSHIP, VILLAGE_A, VILLAGE_A2, VILLAGE_B};

async fn exec(t: &TestApp, sql: &str, round: i64, household: i64) {
    sqlx::query(sql)
        .bind(round)
        .bind(household)
        .execute(&t.app.db.pool)
        .await
        .expect(sql);
}

async fn profile(t: &TestApp, household: i64) {
    sqlx::query(
        "INSERT INTO credit_profiles (household_id, filed_by, filed_at) \
         VALUES ($1, 'grid1', '2024-03-01T00:00:00Z')",
    )
    .bind(household)
    .execute(&t.app.db.pool)
    .await
    .expect("profile");
}

async fn record(t: &TestApp, round: i64, household: i64) {
    exec(
        t,
        "INSERT INTO credit_records (round_id, household_id, item_code, occurred_on, recorder, \
         created_at) VALUES ($1, $2, 'PW04', '2024-04-02', 'grid1', '2024-04-02T00:00:00Z')",
        round,
        household,
    )
    .await;
}

async fn assessment(t: &TestApp, round: i64, household: i64) {
    exec(
        t,
        "INSERT INTO credit_assessments (round_id, household_id, score, grade) \
         VALUES ($1, $2, 80, 'B')",
        round,
        household,
    )
    .await;
}

async fn objection(t: &TestApp, round: i64, household: i64, status: &str) {
    sqlx::query(
        "INSERT INTO credit_objections (round_id, household_id, raised_by, reason, raised_on, \
         status) VALUES ($1, $2, 'resident', 'score too low', '2024-05-01', $3)",
    )
    .bind(round)
    .bind(household)
    .bind(status)
    .execute(&t.app.db.pool)
    .await
    .expect("objection");
}

async fn unit_name(t: &TestApp, code: &str) -> String {
    use sqlx::Row;
    sqlx::query("SELECT name FROM units WHERE code = $1")
        .bind(code)
        .fetch_one(&t.app.db.pool)
        .await
        .expect("unit")
        .get::<String, _>(0)
}

async fn progress_counts_by_hand(t: TestApp) {
    let a = households(&t, VILLAGE_A, 5).await;
    let a2 = households(&t, VILLAGE_A2, 3).await;
    // Another township's households: never counted in this township's round.
    let b = households(&t, VILLAGE_B, 2).await;
    let round = open_round(&t, &t.token("township").await, TOWNSHIP).await;
    // A second round whose rows must not leak into the first's counts.
    let other = {
        use sqlx::Row;
        sqlx::query(
            "INSERT INTO credit_rounds (unit_code, period, rules_name, rules_toml, created_by, \
             created_at) VALUES ($1, '2023年度', 'old', '', 'admin', '2023-01-01T00:00:00Z') \
             RETURNING id",
        )
        .bind(VILLAGE_A)
        .fetch_one(&t.app.db.pool)
        .await
        .expect("other round")
        .get::<i64, _>(0)
    };

    for h in [a[0], a[1], a[2], a2[0], b[0]] {
        profile(&t, h).await;
    }
    for h in [a[0], a[0], a[1], a2[1], a2[1], a2[1], b[0]] {
        record(&t, round, h).await;
    }
    for _ in 0..5 {
        record(&t, other, a[0]).await;
    }
    for h in [a[0], a[1], a2[0], a2[1], a2[2]] {
        assessment(&t, round, h).await;
    }
    for h in [a[2], a[3]] {
        assessment(&t, other, h).await;
    }
    objection(&t, round, a[0], "open").await;
    objection(&t, round, a[0], "open").await;
    objection(&t, round, a[1], "rejected").await;
    objection(&t, round, a2[2], "open").await;
    objection(&t, other, a[4], "open").await;

    let line = |code: &str, name: String, n, filed, records, assessed, open| VillageProgress {
        village_code: code.to_string(),
        village_name: name,
        households: n,
        filed,
        records,
        assessed,
        open_objections: open,
    };
    let village_a = line(VILLAGE_A, unit_name(&t, VILLAGE_A).await, 5, 3, 3, 2, 2);
    let village_a2 = line(VILLAGE_A2, unit_name(&t, VILLAGE_A2).await, 3, 1, 3, 3, 1);

    let township = t.actor("township").await;
    let all = app::credit::rounds::progress(&t.app, &township, round)
        .await
        .expect("progress");
    assert_eq!(all, vec![village_a.clone(), village_a2.clone()]);

    // A village account reads only its own village's line of the township round.
    let cadre = t.actor("cadre_a2").await;
    let own = app::credit::rounds::progress(&t.app, &cadre, round)
        .await
        .expect("progress of own village");
    assert_eq!(own, vec![village_a2]);

    // The other round counts its own rows only (village A: a[0]'s five records, two
    // assessments, one open objection; no profile is per round).
    let admin = t.actor("admin").await;
    let old = app::credit::rounds::progress(&t.app, &admin, other)
        .await
        .expect("progress of the other round");
    assert_eq!(
        old,
        vec![line(
            VILLAGE_A,
            unit_name(&t, VILLAGE_A).await,
            5,
            3,
            5,
            2,
            1
        )]
    );
}
testkit::both!(progress_counts_by_hand);

/// The round page shows the households' results 50 at a time with page links, never the
/// whole round's thousands of rows at once.
async fn results_are_paged(t: TestApp) {
    let ids = households(&t, VILLAGE_A, 60).await;
    let round = open_round(&t, &t.token("cadre_a").await, VILLAGE_A).await;
    for h in &ids {
        assessment(&t, round, *h).await;
    }
    let s = t.login("cadre_a").await;
    let last = format!("/credit/rounds/{round}/households/{}", ids[59]);
    let first = t.page(&format!("/credit/rounds/{round}"), &s).await;
    first.assert_contains(&["1 / 2 · 60"]);
    assert!(
        !first.body.contains(&last),
        "household 060 is on the second page"
    );
    let second = t.page(&format!("/credit/rounds/{round}?page=2"), &s).await;
    assert!(second.body.contains("2 / 2 · 60") && second.body.contains(&last));

    // The API answers as before without paging parameters, and a page with them.
    let token = t.token("cadre_a").await;
    let get = |path: String| {
        let (t, token) = (&t, &token);
        async move {
            let r = t.api_get(&path, token).await.expect_status(200);
            r.json().as_array().expect("array").clone()
        }
    };
    let all = get(format!("/api/v1/credit/rounds/{round}/results")).await;
    assert_eq!(all.len(), 60);
    let page = get(format!(
        "/api/v1/credit/rounds/{round}/results?page=2&per_page=25"
    ))
    .await;
    let numbers: Vec<&str> = page
        .iter()
        .map(|r| r["household_no"].as_str().expect("number"))
        .collect();
    assert_eq!(numbers.len(), 25);
    assert_eq!((numbers[0], numbers[24]), ("026", "050"));
    let tail = get(format!(
        "/api/v1/credit/rounds/{round}/results?page=3&per_page=25"
    ))
    .await;
    assert_eq!(tail.len(), 10, "the short last page");
    assert_eq!(tail[9], all[59]);
}
testkit::both!(results_are_paged);
