//! `grassroots bench sqlite-sync`: sequential audited writes (1-fen debt repayments, one
//! transaction each) on SQLite with `synchronous=NORMAL` and with `FULL`, to price durability
//! across power loss. (Against a killed process both are safe in WAL mode.)

use crate::CmdResult;
use app::{Actor, App, PersonalCipher};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const VILLAGE: &str = "140581104201";

pub async fn run(writes: usize, scratch: Option<&Path>, json: bool) -> CmdResult {
    let before = std::env::var(store::SQLITE_SYNC_VAR).ok();
    let mut figures = serde_json::Map::new();
    for mode in ["normal", "full"] {
        // Read by every new SQLite connection; nothing else runs while this bench does.
        std::env::set_var(store::SQLITE_SYNC_VAR, mode);
        let file = crate::bench::scratch_file(scratch, &format!("sync-{mode}"));
        let result = one(&file, writes).await;
        crate::bench::cleanup(&file);
        let (secs, median_ms, p99_ms) = result?;
        let per_s = writes as f64 / secs;
        if !json {
            println!(
                "synchronous={mode:<6}: {writes} writes in {secs:.2} s = {per_s:.0} writes/s (median {median_ms:.2} ms, p99 {p99_ms:.2} ms)"
            );
        }
        figures.insert(
            mode.into(),
            serde_json::json!({"writes": writes, "seconds": secs, "writes_per_s": per_s, "median_ms": median_ms, "p99_ms": p99_ms}),
        );
    }
    match before {
        Some(v) => std::env::set_var(store::SQLITE_SYNC_VAR, v),
        None => std::env::remove_var(store::SQLITE_SYNC_VAR),
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    }
    Ok(ExitCode::SUCCESS)
}

async fn one(file: &Path, writes: usize) -> anyhow::Result<(f64, f64, f64)> {
    let url = format!("sqlite://{}", file.display());
    let app = App::open(&url, PersonalCipher::new([7; 32])).await?;
    let cli = Actor::cli();
    app::registry::units::import_division_files(&app, &cli, &app::demo::division_files())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let debt = domain::ledger::debt::DebtDraft {
        debt_no: "SYNC-1".into(),
        creditor: "信用社".into(),
        principal_yuan: "1000000".into(),
        ..Default::default()
    };
    let id = app::ledger::records::save(&app, &cli, VILLAGE, None, &debt).await?;
    let action = domain::ledger::debt::DebtActionDraft {
        method: "repayment".into(),
        amount_yuan: "0.01".into(),
        acted_on: "2024-03-01".into(),
        ..Default::default()
    };
    let mut took = Vec::with_capacity(writes);
    let started = Instant::now();
    for _ in 0..writes {
        let t = Instant::now();
        app::ledger::records::add_action(&app, &cli, VILLAGE, id, &action).await?;
        took.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let secs = started.elapsed().as_secs_f64();
    app.db.close().await;
    took.sort_by(f64::total_cmp);
    let at = |q: f64| {
        took.get(((took.len() as f64 - 1.0) * q) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Ok((secs, at(0.5), at(0.99)))
}
