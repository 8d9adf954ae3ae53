//! Benchmarks run as `grassroots bench …` (measured figures, never timed unit tests).

use crate::{Cli, CmdResult};
use anyhow::Context;
use app::{Actor, App, PersonalCipher};
use clap::Subcommand;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Executor};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Instant;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Import a china-division `dist/` folder into a fresh SQLite database, against a raw loop.
    UnitsImport {
        dir: PathBuf,
        /// Where the scratch databases go (default: the system temp dir).
        #[arg(long)]
        scratch: Option<PathBuf>,
        /// Also time the import on PostgreSQL: an admin URL; a scratch database is created
        /// and dropped.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Collective ledgers: a county of 500 villages, 50,000 contracts, 20,000 debts; import
    /// speed and the county ranking time.
    Ledger {
        #[arg(long, default_value_t = 500)]
        villages: usize,
        #[arg(long)]
        scratch: Option<PathBuf>,
        /// Keep the scratch database (its path is printed) for inspection.
        #[arg(long)]
        keep: bool,
        /// Run against this (empty) database instead of a scratch SQLite file, e.g. a fresh
        /// PostgreSQL database.
        #[arg(long)]
        url: Option<String>,
    },
    /// Generate households and score records in a fresh SQLite file, time `credit assess`.
    Credit {
        #[arg(long, default_value_t = 1_000_000)]
        households: usize,
        /// Average score records per household.
        #[arg(long, default_value_t = 10)]
        records: usize,
        #[arg(long)]
        scratch: Option<PathBuf>,
        /// Keep the generated database (for EXPLAIN and the like).
        #[arg(long)]
        keep: bool,
    },
    /// The kill -9 campaign: start the server, post writes from several threads, SIGKILL it
    /// at a random moment, restart, check nothing acknowledged was lost or written twice.
    Crash {
        #[arg(long, default_value_t = 50)]
        cycles: usize,
        #[arg(long, default_value_t = 4)]
        writers: usize,
        /// The kill comes between --min-ms and --max-ms after the writers start.
        #[arg(long, default_value_t = 300)]
        min_ms: u64,
        #[arg(long, default_value_t = 1500)]
        max_ms: u64,
        #[arg(long)]
        scratch: Option<PathBuf>,
        /// Run on PostgreSQL instead: an admin URL; a scratch database is created and dropped.
        #[arg(long)]
        postgres: Option<String>,
        /// Keep the scratch database.
        #[arg(long)]
        keep: bool,
    },
    /// A county of 500 villages and 500,000 households (× --scale): generation time, then p50/p95
    /// of every listed page per role against an unscoped baseline; `--national DIR` adds the
    /// dashboard on the whole national division tree.
    County {
        /// An admin URL of a PostgreSQL server (a scratch database is created and dropped);
        /// default: a scratch SQLite file.
        #[arg(long)]
        url: Option<String>,
        /// Households per village = 1,000 × scale (e.g. 0.02 for a quick run).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Keep the scratch database.
        #[arg(long)]
        keep: bool,
        /// Timed requests per page, role and baseline (after 5 warm-up requests).
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// A china-division `dist/` folder: also time the dashboard on the national tree.
        #[arg(long)]
        national: Option<PathBuf>,
        #[arg(long)]
        scratch: Option<PathBuf>,
    },
    /// Sequential debt actions posted over HTTP (keep-alive, Bearer token, Idempotency-Key) to
    /// the real server in process, against a raw one-INSERT-one-COMMIT loop with the same
    /// driver and pragmas.
    LedgerPost {
        #[arg(long, default_value_t = 2000)]
        writes: usize,
        #[arg(long)]
        scratch: Option<PathBuf>,
        /// Run on PostgreSQL instead: an admin URL; a scratch database is created and dropped.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// The public credit page of the demo village under load (64 keep-alive connections by
    /// default), against a static route returning the same bytes from memory.
    PublicPage {
        /// Seconds of measurement for each of the two routes (after 1 s of warm-up each).
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long)]
        scratch: Option<PathBuf>,
        /// Keep the scratch database.
        #[arg(long)]
        keep: bool,
        /// Another public page of the demo, e.g. /public/disclosures/1 (default: the credit
        /// publicity page).
        #[arg(long)]
        page: Option<String>,
    },
    /// The transparency log at size: appends/s, proof and verify times.
    Log {
        #[arg(long, default_value_t = 1_000_000)]
        entries: u64,
        #[arg(long)]
        scratch: Option<PathBuf>,
        #[arg(long)]
        keep: bool,
    },
    /// Sequential audited writes on SQLite with synchronous=NORMAL and FULL.
    SqliteSync {
        #[arg(long, default_value_t = 2000)]
        writes: usize,
        #[arg(long)]
        scratch: Option<PathBuf>,
    },
}

pub async fn run(cli: &Cli, cmd: &BenchCommand) -> CmdResult {
    match cmd {
        BenchCommand::UnitsImport {
            dir,
            scratch,
            postgres,
        } => units_import(cli, dir, scratch.as_deref(), postgres.as_deref()).await,
        BenchCommand::Ledger {
            villages,
            scratch,
            keep,
            url,
        } => {
            crate::bench_ledger::run(cli, *villages, scratch.as_deref(), *keep, url.as_deref())
                .await
        }
        BenchCommand::Credit {
            households,
            records,
            scratch,
            keep,
        } => crate::bench_credit::run(cli, *households, *records, scratch.as_deref(), *keep).await,
        BenchCommand::Crash {
            cycles,
            writers,
            min_ms,
            max_ms,
            scratch,
            postgres,
            keep,
        } => {
            crate::bench_crash::run(crate::bench_crash::Options {
                cycles: *cycles,
                writers: *writers,
                min_ms: *min_ms,
                max_ms: *max_ms,
                scratch: scratch.as_deref(),
                postgres: postgres.as_deref(),
                keep: *keep,
            })
            .await
        }
        BenchCommand::County {
            url,
            scale,
            keep,
            requests,
            national,
            scratch,
        } => {
            crate::bench_county::run(
                cli,
                crate::bench_county::Options {
                    url: url.as_deref(),
                    scale: *scale,
                    keep: *keep,
                    requests: *requests,
                    national: national.as_deref(),
                    scratch: scratch.as_deref(),
                },
            )
            .await
        }
        BenchCommand::LedgerPost {
            writes,
            scratch,
            postgres,
        } => {
            crate::bench_post::run(crate::bench_post::Options {
                writes: *writes,
                scratch: scratch.as_deref(),
                postgres: postgres.as_deref(),
                json: cli.json,
            })
            .await
        }
        BenchCommand::Log {
            entries,
            scratch,
            keep,
        } => crate::bench_log::run(*entries, scratch.as_deref(), *keep, cli.json).await,
        BenchCommand::PublicPage {
            seconds,
            connections,
            scratch,
            keep,
            page,
        } => {
            crate::bench_public::run_page(
                crate::bench_public::Options {
                    seconds: *seconds,
                    connections: *connections,
                },
                page.as_deref(),
                scratch.as_deref(),
                *keep,
                cli.json,
            )
            .await
        }
        BenchCommand::SqliteSync { writes, scratch } => {
            crate::bench_sync::run(*writes, scratch.as_deref(), cli.json).await
        }
    }
}

pub(crate) fn scratch_file(scratch: Option<&Path>, name: &str) -> PathBuf {
    let dir = scratch
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    let p = dir.join(format!("grassroots-bench-{}-{name}.db", std::process::id()));
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", p.display()));
    }
    p
}

/// The 1-minute load average, to print next to figures measured on a shared machine.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// This process's peak resident memory so far (`VmHWM`), in MiB; `None` off Linux.
pub(crate) fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

pub(crate) fn cleanup(p: &Path) {
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", p.display()));
    }
}

/// The baseline: read the same CSV files with the csv crate and insert each row with one
/// prepared statement, in one transaction, through the native SQLite driver.
async fn raw_loop(dir: &Path, db_file: &Path) -> anyhow::Result<(u64, f64)> {
    // Same schema as the real import.
    let url = format!("sqlite://{}", db_file.display());
    let db = store::Db::connect(&url).await?;
    db.migrate().await?;
    db.close().await;
    let opts = SqliteConnectOptions::from_str(&url)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await?;
    // The same connection settings as the application's pool.
    conn.execute(
        "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;",
    )
    .await?;
    let started = Instant::now();
    let mut tx = conn.begin().await?;
    let mut n = 0u64;
    for (file, level, code_len) in [
        ("provinces.csv", "province", 0),
        ("cities.csv", "city", 2),
        ("areas.csv", "county", 4),
        ("streets.csv", "township", 6),
        ("villages.csv", "village", 9),
    ] {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let mut rdr = csv::Reader::from_path(&path)?;
        for rec in rdr.records() {
            let rec = rec?;
            let code = rec.get(0).unwrap_or("");
            let parent = (code_len > 0).then(|| code.get(..code_len).unwrap_or(""));
            sqlx::query(
                "INSERT INTO units (code, name, level, parent_code) VALUES ($1, $2, $3, $4)",
            )
            .bind(code)
            .bind(rec.get(1).unwrap_or(""))
            .bind(level)
            .bind(parent)
            .execute(&mut *tx)
            .await?;
            n += 1;
        }
    }
    tx.commit().await?;
    let secs = started.elapsed().as_secs_f64();
    conn.execute("PRAGMA wal_checkpoint").await?;
    Ok((n, secs))
}

async fn units_import(
    cli: &Cli,
    dir: &Path,
    scratch: Option<&Path>,
    postgres: Option<&str>,
) -> CmdResult {
    let ours = scratch_file(scratch, "ours");
    let base = scratch_file(scratch, "raw");
    let app = App::open(
        &format!("sqlite://{}", ours.display()),
        PersonalCipher::new([0; 32]),
    )
    .await?;
    let started = Instant::now();
    let report = app::registry::units::import_divisions(&app, &Actor::cli(), dir, |_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let ours_secs = started.elapsed().as_secs_f64();
    // The process's peak so far is the import's (nothing before it held much).
    let peak_mib = peak_memory_mib();
    // Reading and checking alone, to see where the time goes.
    let started = Instant::now();
    app::registry::units::check_divisions(dir)
        .await
        .map_err(|e| anyhow::anyhow!("{} problems, first: {:?}", e.len(), e.first()))?;
    let parse_secs = started.elapsed().as_secs_f64();
    // Idempotence under load: a second run must add nothing.
    let started = Instant::now();
    let again = app::registry::units::import_divisions(&app, &Actor::cli(), dir, |_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let rerun_secs = started.elapsed().as_secs_f64();
    app.db.close().await;
    let (raw_rows, raw_secs) = raw_loop(dir, &base).await.context("raw baseline")?;
    cleanup(&ours);
    cleanup(&base);
    let rows = report.rows;
    let pg_secs = match postgres {
        Some(admin) => Some(
            postgres_import(admin, dir)
                .await
                .context("PostgreSQL import")?,
        ),
        None => None,
    };
    let figures = serde_json::json!({
        "postgres_seconds": pg_secs,
        "rows": rows,
        "grassroots_seconds": ours_secs,
        "grassroots_rows_per_s": rows as f64 / ours_secs,
        "of_which_read_and_check_seconds": parse_secs,
        "peak_memory_mib": peak_mib,
        "load_average": load_average(),
        "rerun_seconds": rerun_secs,
        "rerun_added": again.added,
        "raw_loop_rows": raw_rows,
        "raw_loop_seconds": raw_secs,
        "raw_loop_rows_per_s": raw_rows as f64 / raw_secs,
        "speed_ratio_vs_raw": raw_secs / ours_secs,
    });
    if cli.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "units import: {rows} rows in {ours_secs:.2} s ({:.0} rows/s; reading and checking the CSVs alone {parse_secs:.2} s), peak memory {} MiB; re-run {rerun_secs:.2} s, {} added\nraw loop:     {raw_rows} rows in {raw_secs:.2} s ({:.0} rows/s)\nratio (raw time / our time): {:.2}   load average: {}",
            rows as f64 / ours_secs,
            peak_mib.map_or("?".into(), |m| format!("{m:.0}")),
            again.added,
            raw_rows as f64 / raw_secs,
            raw_secs / ours_secs,
            load_average()
        );
        if let Some(s) = pg_secs {
            println!(
                "PostgreSQL:   {rows} rows in {s:.2} s ({:.0} rows/s)",
                rows as f64 / s
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The same import into a scratch PostgreSQL database.
async fn postgres_import(admin: &str, dir: &Path) -> anyhow::Result<f64> {
    let name = format!("grassroots_bench_{}", std::process::id());
    let url = crate::bench_scratch::create_pg(admin, &name).await?;
    let app = App::open(&url, PersonalCipher::new([0; 32])).await?;
    let started = Instant::now();
    app::registry::units::import_divisions(&app, &Actor::cli(), dir, |_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let secs = started.elapsed().as_secs_f64();
    app.db.close().await;
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    conn.execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
        .await?;
    Ok(secs)
}
