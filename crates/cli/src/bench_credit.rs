//! `grassroots bench credit`: 1,000,000 households with ~10 score records each over the 66
//! default items in a fresh SQLite file, then the timed `credit assess` (one read of the
//! households, one streaming read of every record, scoring in memory with the domain rules,
//! multi-row inserts of the assessments in one transaction).

use crate::{Cli, CmdResult};
use app::{Actor, App, PersonalCipher};
use domain::credit::RuleSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const TOWNSHIP: &str = "140581104";

use domain::lcg::Lcg;

async fn exec(app: &App, sql: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sql).execute(&app.db.pool).await?;
    Ok(())
}

pub async fn run(
    cli: &Cli,
    households: usize,
    per: usize,
    scratch: Option<&Path>,
    keep: bool,
) -> CmdResult {
    let file = crate::bench::scratch_file(scratch, "credit");
    let url = format!("sqlite://{}", file.display());
    let app = App::open(&url, PersonalCipher::new([7; 32])).await?;
    let cli_actor = Actor::cli();
    app::registry::units::import_division_files(&app, &cli_actor, &app::demo::division_files())
        .await?;
    let villages: Vec<String> = {
        let mut conn = app.db.pool.acquire().await?;
        store::registry::units::children(&mut conn, TOWNSHIP)
            .await?
            .into_iter()
            .map(|u| u.code)
            .collect()
    };
    anyhow::ensure!(!villages.is_empty(), "no villages under {TOWNSHIP}");
    let rules = RuleSet::default_set().map_err(|e| anyhow::anyhow!("{e}"))?;
    let codes: Vec<(String, bool)> = rules
        .items()
        .iter()
        .map(|i| (i.code.clone(), rules.needs_confirmation(i)))
        .collect();

    // Bulk generation: generated literals (digits and rule codes only) in multi-row inserts.
    let started = Instant::now();
    let now = store::now_text();
    let chunk = 1000;
    let mut i = 0usize;
    while i < households {
        let mut sql = String::from(
            "INSERT INTO households (village_code, township_code, county_code, household_no, \
             head_name, created_at, updated_at) VALUES ",
        );
        for k in i..(i + chunk).min(households) {
            let v = &villages[k % villages.len()];
            if k > i {
                sql.push(',');
            }
            let _ = write!(
                sql,
                "('{v}','{TOWNSHIP}','140581','{:07}','户主{}','{now}','{now}')",
                k / villages.len() + 1,
                k
            );
        }
        exec(&app, &sql).await?;
        i += chunk;
    }
    let round = app::credit::rounds::open(&app, &cli_actor, TOWNSHIP, "bench", None).await?;
    let (first_id, last_id): (i64, i64) = {
        use sqlx::Row;
        let r = sqlx::query("SELECT MIN(id), MAX(id) FROM households")
            .fetch_one(&app.db.pool)
            .await?;
        (r.try_get(0)?, r.try_get(1)?)
    };
    let mut rng = Lcg(42);
    let mut records = 0u64;
    let mut sql = String::new();
    let mut in_stmt = 0;
    for hid in first_id..=last_id {
        // ~10 records per household on average (5..=15).
        let n = per.saturating_sub(5) as u64 + rng.next(11);
        for _ in 0..n {
            let (code, heavy) = &codes[rng.next(codes.len() as u64) as usize];
            let confirmed = if *heavy && rng.next(2) == 0 {
                "'reviewer'"
            } else {
                "NULL"
            };
            next_record_row(&mut sql, in_stmt == 0);
            let _ = write!(
                sql,
                "({round},{hid},'{code}','2024-{:02}-{:02}','grid{}','photo.jpg',{confirmed},'{now}')",
                1 + rng.next(12),
                1 + rng.next(28),
                hid % 97
            );
            in_stmt += 1;
            records += 1;
            if in_stmt == 1000 {
                exec(&app, &sql).await?;
                in_stmt = 0;
            }
        }
    }
    if in_stmt > 0 {
        exec(&app, &sql).await?;
    }
    let generated = started.elapsed().as_secs_f64();
    eprintln!(
        "generated {households} households and {records} records in {generated:.1}s ({})",
        file.display()
    );

    let started = Instant::now();
    let report = app::credit::assess::assess(&app, &cli_actor, round, app::credit::today()).await?;
    let secs = started.elapsed().as_secs_f64();
    let rows = report.households + report.records;
    let out = serde_json::json!({
        "households": report.households,
        "records": report.records,
        "assess_seconds": (secs * 100.0).round() / 100.0,
        "households_per_second": (report.households as f64 / secs).round(),
        "rows_per_second": (rows as f64 / secs).round(),
        "by_grade": report.by_grade,
        "goal_seconds": 5,
        "generation_seconds": (generated * 10.0).round() / 10.0,
    });
    if cli.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "credit assess: {} households, {} records in {secs:.2}s = {:.0} households/s, {:.0} rows/s \
             (read + score + write; goal ≤ 5 s) — AAA {}, AA {}, A {}, B {}",
            report.households,
            report.records,
            report.households as f64 / secs,
            rows as f64 / secs,
            report.by_grade.aaa,
            report.by_grade.aa,
            report.by_grade.a,
            report.by_grade.b
        );
    }
    app.db.close().await;
    if keep {
        eprintln!("kept {}", file.display());
    } else {
        crate::bench::cleanup(&file);
    }
    Ok(ExitCode::SUCCESS)
}

/// Starts a multi-row insert of credit records in `sql` (`first`), or separates its next row.
pub(crate) fn next_record_row(sql: &mut String, first: bool) {
    if first {
        sql.clear();
        sql.push_str(
            "INSERT INTO credit_records (round_id, household_id, item_code, occurred_on, \
             recorder, evidence, confirmed_by, created_at) VALUES ",
        );
    } else {
        sql.push(',');
    }
}
