//! `grassroots bench crash`: the kill -9 campaign. Starts the real server on a scratch
//! database, lets writer threads post API writes (household creations and debt actions, each
//! with an `Idempotency-Key`), kills the server with SIGKILL at a random moment, restarts it and
//! checks: every acknowledged (2xx) write is there, the database is intact, and retrying the
//! requests that were in flight at the kill (same key, same body) writes nothing twice.

use crate::bench_http::{http, Reply};
use crate::CmdResult;
use anyhow::{bail, Context};
use app::{Actor, App, PersonalCipher};
use domain::access::Role;
use sqlx::{Executor, Row};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const VILLAGE: &str = "140581104201";
const USER: &str = "crash_writer";

pub struct Options<'a> {
    pub cycles: usize,
    pub writers: usize,
    pub min_ms: u64,
    pub max_ms: u64,
    pub scratch: Option<&'a Path>,
    pub postgres: Option<&'a str>,
    pub keep: bool,
}

/// One write a writer sent.
#[derive(Clone, Debug)]
struct Op {
    path: String,
    key: String,
    body: String,
    household: bool,
    /// The household number or debt-action note that finds the row again.
    tag: String,
}

#[derive(Default)]
struct Tally {
    sent: u64,
    acked: u64,
    refused: BTreeMap<u16, u64>,
    in_flight: u64,
    in_flight_committed: u64,
    retry_replayed: u64,
    retry_ran: u64,
    retry_in_progress: u64,
    retry_answer_lost: u64,
    retry_other: BTreeMap<u16, u64>,
    lost: u64,
    duplicates: u64,
    integrity_failures: u64,
    invariant_failures: u64,
}

pub async fn run(opts: Options<'_>) -> CmdResult {
    let key_hex = PersonalCipher::generate_hex();
    let (url, cleanup) = scratch_database(&opts).await?;
    let (token, debts) = seed(&url, &key_hex, opts.writers).await?;
    let engine = match opts.postgres {
        Some(_) => "PostgreSQL".to_string(),
        None => format!(
            "SQLite, synchronous={}",
            std::env::var(store::SQLITE_SYNC_VAR).unwrap_or_else(|_| "full (default)".into())
        ),
    };
    println!(
        "kill -9 campaign on {engine} ({} cycles, {} writers, kill after {}-{} ms)",
        opts.cycles, opts.writers, opts.min_ms, opts.max_ms
    );
    let mut t = Tally::default();
    let mut acked: Vec<(Op, i64)> = Vec::new();
    let mut pending: Vec<Op> = Vec::new();
    let mut rng = Rng::new();
    let started = Instant::now();
    for cycle in 0..=opts.cycles {
        let (mut child, addr) = start_server(&url, &key_hex)?;
        // Retry what was in flight at the last kill, with the same key and body.
        for op in std::mem::take(&mut pending) {
            match http(&addr, "POST", &op.path, &token, Some(&op.key), &op.body) {
                Ok(r) if r.status / 100 == 2 => {
                    if r.replayed {
                        t.retry_replayed += 1;
                    } else {
                        t.retry_ran += 1;
                    }
                    acked.push((op, r.id.unwrap_or(0)));
                }
                Ok(r) if r.answer_lost => t.retry_answer_lost += 1,
                Ok(r) if r.status == 409 => t.retry_in_progress += 1,
                Ok(r) => *t.retry_other.entry(r.status).or_default() += 1,
                Err(_) => pending.push(op),
            }
        }
        if cycle == opts.cycles {
            // The last start only retries; stop it gently-enough (the check below is the same).
            kill(&mut child)?;
            break;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let threads: Vec<_> = (0..opts.writers)
            .map(|w| {
                let (stop, addr, token) = (stop.clone(), addr.clone(), token.clone());
                let debt = debts[w % debts.len()];
                std::thread::spawn(move || writer(cycle, w, debt, &addr, &token, &stop))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rng.between(opts.min_ms, opts.max_ms)));
        kill(&mut child)?;
        stop.store(true, Ordering::SeqCst);
        for th in threads {
            let log = th
                .join()
                .map_err(|_| anyhow::anyhow!("a writer thread panicked"))?;
            for (op, outcome) in log {
                t.sent += 1;
                match outcome {
                    Outcome::Acked(id) => {
                        t.acked += 1;
                        acked.push((op, id));
                    }
                    Outcome::Refused(s) => *t.refused.entry(s).or_default() += 1,
                    Outcome::InFlight => {
                        t.in_flight += 1;
                        pending.push(op);
                    }
                }
            }
        }
        let found = check(&url, &mut t, &acked).await?;
        t.in_flight_committed += pending
            .iter()
            .filter(|op| found.tags.contains(&op.tag))
            .count() as u64;
        if (cycle + 1) % 10 == 0 {
            println!(
                "  cycle {:>3}: {} acknowledged so far, lost {}, duplicates {}, integrity failures {}",
                cycle + 1,
                acked.len(),
                t.lost,
                t.duplicates,
                t.integrity_failures
            );
        }
    }
    let secs = started.elapsed().as_secs_f64();
    report(&opts, &t, acked.len(), pending.len(), secs);
    cleanup_database(cleanup, opts.keep).await?;
    Ok(
        if t.lost + t.duplicates + t.integrity_failures + t.invariant_failures == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        },
    )
}

enum Outcome {
    Acked(i64),
    Refused(u16),
    InFlight,
}

/// Posts writes until told to stop: households and 1-fen repayments, alternately.
fn writer(
    cycle: usize,
    w: usize,
    debt: i64,
    addr: &str,
    token: &str,
    stop: &AtomicBool,
) -> Vec<(Op, Outcome)> {
    let mut log = Vec::new();
    let run = std::process::id();
    let mut n = 0u64;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let key = format!("crash-{run}-{cycle}-{w}-{n}");
        let op = if n.is_multiple_of(2) {
            let no = format!("C{cycle}-{w}-{n}");
            Op {
                path: "/api/v1/households".into(),
                body: serde_json::json!({"village_code": VILLAGE, "household_no": no, "head_name": "试写户"}).to_string(),
                key,
                household: true,
                tag: no,
            }
        } else {
            Op {
                path: format!("/api/v1/villages/{VILLAGE}/ledger/debts/{debt}/actions"),
                body: serde_json::json!({"method": "repayment", "amount_yuan": "0.01", "acted_on": "2024-03-01", "note": key}).to_string(),
                tag: key.clone(),
                key,
                household: false,
            }
        };
        match http(addr, "POST", &op.path, token, Some(&op.key), &op.body) {
            Ok(Reply { status, id, .. }) if status / 100 == 2 => {
                log.push((op, Outcome::Acked(id.unwrap_or(0))))
            }
            Ok(r) => log.push((op, Outcome::Refused(r.status))),
            Err(e) if e.sent => log.push((op, Outcome::InFlight)),
            // Not even connected: the server is gone; nothing was sent.
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    log
}

struct Found {
    tags: HashSet<String>,
}

/// With the server down: every acknowledged write present, no write twice, the file intact
/// (SQLite) and resolved ≤ principal on every debt.
async fn check(url: &str, t: &mut Tally, acked: &[(Op, i64)]) -> anyhow::Result<Found> {
    let db = store::Db::connect(url).await?;
    let mut conn = db.pool.acquire().await?;
    let mut households: HashMap<String, i64> = HashMap::new();
    for r in sqlx::query("SELECT household_no, id FROM households WHERE household_no LIKE 'C%'")
        .fetch_all(&mut *conn)
        .await?
    {
        households.insert(r.try_get(0)?, r.try_get(1)?);
    }
    let mut notes: HashMap<String, (i64, i64)> = HashMap::new();
    for r in sqlx::query(
        "SELECT note, MIN(id), COUNT(*) FROM debt_actions WHERE note LIKE 'crash-%' GROUP BY note",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        notes.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    t.lost = acked
        .iter()
        .filter(|(op, id)| {
            if op.household {
                households.get(&op.tag) != Some(id)
            } else {
                notes.get(&op.tag).map(|n| n.0) != Some(*id)
            }
        })
        .count() as u64;
    t.duplicates = notes.values().map(|n| (n.1 - 1).max(0) as u64).sum();
    if db.backend == store::Backend::Sqlite {
        let row = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&mut *conn)
            .await?;
        let verdict: String = row.try_get(0)?;
        if verdict != "ok" {
            t.integrity_failures += 1;
            eprintln!("integrity_check: {verdict}");
        }
    }
    let over: i64 = sqlx::query(
        "SELECT COUNT(*) FROM debts d WHERE d.principal_fen < \
         (SELECT COALESCE(SUM(a.amount_fen), 0) FROM debt_actions a WHERE a.debt_id = d.id)",
    )
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    if over > 0 {
        t.invariant_failures += 1;
    }
    drop(conn);
    db.close().await;
    Ok(Found {
        tags: households.into_keys().chain(notes.into_keys()).collect(),
    })
}

fn report(opts: &Options<'_>, t: &Tally, acked: usize, unresolved: usize, secs: f64) {
    let figures = serde_json::json!({
        "engine": if opts.postgres.is_some() { "postgres" } else { "sqlite" },
        "cycles": opts.cycles, "writers": opts.writers, "seconds": secs,
        "requests_sent": t.sent, "acknowledged_writes": acked,
        "acknowledged_during_load": t.acked, "refused_by_status": t.refused,
        "in_flight_at_kill": t.in_flight, "in_flight_found_committed": t.in_flight_committed,
        "retries_replayed": t.retry_replayed, "retries_ran_fresh": t.retry_ran,
        "retries_409_in_progress": t.retry_in_progress,
        "retries_409_written_answer_lost": t.retry_answer_lost, "retries_other": t.retry_other,
        "retries_unanswered": unresolved,
        "lost": t.lost, "duplicates": t.duplicates,
        "integrity_failures": t.integrity_failures, "invariant_failures": t.invariant_failures,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&figures).unwrap_or_default()
    );
}

async fn seed(url: &str, key_hex: &str, writers: usize) -> anyhow::Result<(String, Vec<i64>)> {
    let app = App::open(url, PersonalCipher::from_hex(key_hex)?).await?;
    let cli = Actor::cli();
    app::registry::units::import_division_files(&app, &cli, &app::demo::division_files())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let password = format!("crash-{}", PersonalCipher::generate_hex());
    app::accounts::add_user(
        &app,
        &cli,
        app::accounts::NewUser {
            username: USER.into(),
            display_name: USER.into(),
            password,
            role: Role::VillageAccountant,
            unit_code: Some(VILLAGE.into()),
        },
    )
    .await?;
    let token = app::accounts::create_token(&app, &cli, USER, "crash", None).await?;
    let mut debts = Vec::new();
    for w in 0..writers.max(1) {
        let draft = domain::ledger::debt::DebtDraft {
            debt_no: format!("CRASH-{w}"),
            creditor: "信用社".into(),
            principal_yuan: "1000000".into(),
            ..Default::default()
        };
        debts.push(app::ledger::records::save(&app, &cli, VILLAGE, None, &draft).await?);
    }
    app.db.close().await;
    Ok((token, debts))
}

fn start_server(url: &str, key_hex: &str) -> anyhow::Result<(Child, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(std::env::current_exe()?)
        .args(["serve", "--addr", &addr, "--insecure-cookies"])
        .env("DATABASE_URL", url)
        .env("GRASSROOTS_KEY", key_hex)
        .env("RUST_LOG", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the server")?;
    let mut child = child;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = http(&addr, "GET", "/api/v1/openapi.json", "", None, "") {
            if r.status == 200 {
                return Ok((child, addr));
            }
        }
        if let Some(status) = child.try_wait()? {
            bail!("the server exited at start ({status})");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    kill(&mut child)?;
    bail!("the server did not answer within 60 s")
}

/// SIGKILL (std's `Child::kill` on Unix), then reap.
fn kill(child: &mut Child) -> anyhow::Result<()> {
    child.kill()?;
    child.wait()?;
    Ok(())
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin: String, name: String },
}

async fn scratch_database(opts: &Options<'_>) -> anyhow::Result<(String, Cleanup)> {
    match opts.postgres {
        None => {
            let file = crate::bench::scratch_file(opts.scratch, "crash");
            Ok((format!("sqlite://{}", file.display()), Cleanup::File(file)))
        }
        Some(admin) => {
            let name = format!("grassroots_crash_{}", std::process::id());
            Ok((
                crate::bench_scratch::create_pg(admin, &name).await?,
                Cleanup::Postgres {
                    admin: admin.into(),
                    name,
                },
            ))
        }
    }
}

async fn cleanup_database(c: Cleanup, keep: bool) -> anyhow::Result<()> {
    match c {
        Cleanup::File(f) if keep => println!("kept {}", f.display()),
        Cleanup::File(f) => crate::bench::cleanup(&f),
        Cleanup::Postgres { name, .. } if keep => println!("kept database {name}"),
        Cleanup::Postgres { admin, name } => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin).await?;
            conn.execute(format!("DROP DATABASE {name} WITH (FORCE)").as_str())
                .await?;
        }
    }
    Ok(())
}

/// xorshift64*, seeded from the clock: kill moments need spread, not quality.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9_7f4a_7c15);
        Rng(seed | 1)
    }
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        lo + x % (hi.saturating_sub(lo) + 1)
    }
}
