//! The demo database seeds without error and shows what the README promises.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::{App, PersonalCipher};
use testkit::{Backend, TestDb};

async fn seeds(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else {
        return;
    };
    let app = App::open(&db.url, PersonalCipher::new([1; 32]))
        .await
        .unwrap();
    let logins = app::demo::seed(&app).await.unwrap();
    assert_eq!(logins.len(), 10);
    let cadre = app::accounts::login(&app, "cadre", app::demo::PASSWORD, "test")
        .await
        .unwrap()
        .actor;
    let page = app::registry::households::list(&app, &cadre, "", None, None, 1, 10)
        .await
        .unwrap();
    assert_eq!(page.total, 140, "陈区村 only");
    // Seed 000: 23.58 million yuan of debt resolved to 78.5 %.
    let summary = app::ledger::summary::village_summary(&app, &cadre, app::demo::VILLAGE_A)
        .await
        .unwrap();
    let v = serde_json::to_value(&summary).unwrap();
    assert_eq!(v["debts"]["principal_fen"], 2_358_000_000i64);
    assert_eq!(v["debts"]["progress_pct"], 78.5);
    assert!(v["contracts"]["flagged"].as_i64().unwrap() >= 3, "{v}");
    // Credit village: last year's round is final (grades, bank lines), this year's in publicity.
    let county = app::accounts::login(&app, "county", app::demo::PASSWORD, "test")
        .await
        .unwrap()
        .actor;
    let credit = serde_json::to_value(
        app::credit::bank::summary(&app, &county, app::demo::VILLAGE_A)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(credit["rated"], 140, "{credit}");
    assert!(
        credit["credit_lines"]["households"].as_i64().unwrap() > 0,
        "{credit}"
    );
    let rounds = app::credit::rounds::list(&app, &county).await.unwrap();
    let stages: Vec<String> = rounds
        .iter()
        .map(|r| {
            serde_json::to_value(r).unwrap()["stage"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert!(
        stages.contains(&"final".to_string()) && stages.contains(&"publicity".to_string()),
        "{stages:?}"
    );
    // 码上知: six monthly statements from the ledgers (approved by the supervisor), the
    // latest corrected, a party-fee disclosure and a decision; all in the log, which audits.
    let board = app::disclosure::board::village_board(&app, app::demo::VILLAGE_A, 50)
        .await
        .unwrap();
    let finance = &board
        .modules
        .iter()
        .find(|(m, _)| m.key() == "finance")
        .unwrap()
        .1;
    assert_eq!(finance.len(), 7, "six months and a correction");
    assert!(finance
        .iter()
        .all(|d| d.approved_by.as_deref() == Some("陈区村监委会主任")));
    assert_eq!(
        finance.iter().filter(|d| d.superseded_by.is_some()).count(),
        1
    );
    assert!(finance
        .iter()
        .all(|d| d.log_index.is_some() && d.table.is_some()));
    let all: usize = board.modules.iter().map(|(_, v)| v.len()).sum();
    assert_eq!(all, 9);
    let audit = app::transparency::audit(&app).await.unwrap();
    assert_eq!(audit.problem, None);
    assert!(audit.entries >= 9);
    // Published on time: no finance month of the six is late or missing.
    let township = app::accounts::login(&app, "township", app::demo::PASSWORD, "test")
        .await
        .unwrap()
        .actor;
    let s = app::disclosure::board::schedule(
        &app,
        &township,
        app::demo::TOWNSHIP,
        app::credit::today(),
    )
    .await
    .unwrap();
    let monthly = s
        .categories
        .iter()
        .position(|(k, _)| k == "finance.monthly")
        .unwrap();
    let row = s
        .rows
        .iter()
        .find(|r| r.code == app::demo::VILLAGE_A)
        .unwrap();
    assert_eq!(row.cells[monthly].late, 0, "{:?}", row.cells[monthly]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seeds_on_sqlite() {
    seeds(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seeds_on_postgres() {
    seeds(Backend::Postgres).await
}
