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
    assert_eq!(logins.len(), 8);
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seeds_on_sqlite() {
    seeds(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seeds_on_postgres() {
    seeds(Backend::Postgres).await
}
