//! `grassroots bench ledger-post`: sequential debt actions posted to the real server (in
//! process, port 0) over one keep-alive connection with a Bearer token and an
//! `Idempotency-Key`, against a raw loop doing one INSERT + COMMIT per iteration through the
//! same sqlx driver with the same pragmas. The two alternate in rounds, so both see the same
//! machine load.

use crate::CmdResult;
use anyhow::Context;
use app::{Actor, App, PersonalCipher};
use domain::access::Role;
use sqlx::{Connection, Executor};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const VILLAGE: &str = "140581104201";
const USER: &str = "bench_accountant";
/// Posts (and raw inserts) per round; rounds alternate between the two.
const ROUND: usize = 100;

pub struct Options<'a> {
    pub writes: usize,
    pub scratch: Option<&'a Path>,
    pub postgres: Option<&'a str>,
    pub json: bool,
}

pub async fn run(o: Options<'_>) -> CmdResult {
    let (url, cleanup): (String, Box<dyn FnOnce()>) = match o.postgres {
        None => {
            let file = crate::bench::scratch_file(o.scratch, "post");
            let url = format!("sqlite://{}", file.display());
            (url, Box::new(move || crate::bench::cleanup(&file)))
        }
        Some(admin) => (scratch_pg(admin).await?, Box::new(|| {})),
    };
    let result = measure(&url, o.writes).await;
    cleanup();
    if let Some(admin) = o.postgres {
        drop_pg(admin).await?;
    }
    let f = result?;
    let ratio = f.api_per_s / f.raw_per_s;
    let figures = serde_json::json!({
        "engine": if o.postgres.is_some() { "postgres" } else { "sqlite" },
        "writes": o.writes,
        "api_seconds": f.api_secs, "api_writes_per_s": f.api_per_s,
        "api_median_ms": f.api_median_ms, "api_p99_ms": f.api_p99_ms,
        "raw_seconds": f.raw_secs, "raw_writes_per_s": f.raw_per_s,
        "raw_median_ms": f.raw_median_ms,
        "ratio_api_to_raw": ratio,
        "ratio_of_medians": f.raw_median_ms / f.api_median_ms,
        "load_average": crate::bench::load_average(),
    });
    if o.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "ledger posts (HTTP, keep-alive, Bearer, Idempotency-Key): {} in {:.2} s = {:.0}/s (median {:.2} ms, p99 {:.2} ms)\nraw loop (one INSERT + COMMIT, same driver and pragmas):  {} in {:.2} s = {:.0}/s (median {:.2} ms)\nratio (posts/s ÷ raw/s): {ratio:.2} (of the medians: {:.2})   load average: {}",
            o.writes, f.api_secs, f.api_per_s, f.api_median_ms, f.api_p99_ms,
            o.writes, f.raw_secs, f.raw_per_s, f.raw_median_ms,
            f.raw_median_ms / f.api_median_ms,
            crate::bench::load_average(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

struct Figures {
    api_secs: f64,
    api_per_s: f64,
    api_median_ms: f64,
    api_p99_ms: f64,
    raw_secs: f64,
    raw_per_s: f64,
    raw_median_ms: f64,
}

async fn measure(url: &str, writes: usize) -> anyhow::Result<Figures> {
    let app = App::open(url, PersonalCipher::new([9; 32])).await?;
    let (token, debt) = seed(&app).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(web::serve(listener, app.clone(), false));
    // The raw loop's own connection, set up as the pool sets up its connections.
    let mut raw = raw_connection(url, &app).await?;
    let mut client = Client::connect(&addr.to_string()).await?;
    let path = format!("/api/v1/villages/{VILLAGE}/ledger/debts/{debt}/actions");
    let body = r#"{"method": "repayment", "amount_yuan": "0.01", "acted_on": "2024-03-01"}"#;
    let (mut api_ms, mut raw_ms) = (Vec::new(), Vec::new());
    let (mut api_secs, mut raw_secs) = (0.0, 0.0);
    let pid = std::process::id();
    let mut done = 0;
    while done < writes {
        let n = ROUND.min(writes - done);
        let started = Instant::now();
        for i in done..done + n {
            let t = Instant::now();
            let key = format!("bench-{pid}-{i}");
            let status = client.post(&path, &token, &key, body).await?;
            anyhow::ensure!(status == 201, "post {i} answered {status}");
            api_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        api_secs += started.elapsed().as_secs_f64();
        let started = Instant::now();
        for i in done..done + n {
            let t = Instant::now();
            raw_insert(&mut raw, debt, i).await?;
            raw_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        raw_secs += started.elapsed().as_secs_f64();
        done += n;
    }
    server.abort();
    raw.close().await?;
    app.db.close().await;
    let at = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v.get(((v.len() as f64 - 1.0) * q) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Ok(Figures {
        api_secs,
        api_per_s: writes as f64 / api_secs,
        api_median_ms: at(&mut api_ms, 0.5),
        api_p99_ms: at(&mut api_ms, 0.99),
        raw_secs,
        raw_per_s: writes as f64 / raw_secs,
        raw_median_ms: at(&mut raw_ms, 0.5),
    })
}

async fn seed(app: &App) -> anyhow::Result<(String, i64)> {
    let cli = Actor::cli();
    app::registry::units::import_division_files(app, &cli, &app::demo::division_files())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    app::accounts::add_user(
        app,
        &cli,
        app::accounts::NewUser {
            username: USER.into(),
            display_name: USER.into(),
            password: format!("bench-{}", PersonalCipher::generate_hex()),
            role: Role::VillageAccountant,
            unit_code: Some(VILLAGE.into()),
        },
    )
    .await?;
    let token = app::accounts::create_token(app, &cli, USER, "bench", None).await?;
    let draft = domain::ledger::debt::DebtDraft {
        debt_no: "POST-1".into(),
        creditor: "信用社".into(),
        principal_yuan: "1000000".into(),
        ..Default::default()
    };
    let debt = app::ledger::records::save(app, &cli, VILLAGE, None, &draft).await?;
    Ok((token, debt))
}

/// A connection like the application's (same driver, same pragmas: `Db::connect_with`) and an
/// equivalent of the `debt_actions` table to insert into.
async fn raw_connection(url: &str, app: &App) -> anyhow::Result<sqlx::AnyConnection> {
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    if app.db.backend == store::Backend::Sqlite {
        conn.execute(store::sqlite_pragmas(&store::DbOptions::from_env()).as_str())
            .await?;
    }
    conn.execute(
        "CREATE TABLE IF NOT EXISTS raw_debt_actions (id BIGINT PRIMARY KEY, debt_id BIGINT NOT NULL, \
         method TEXT NOT NULL, amount_fen BIGINT NOT NULL, acted_on TEXT NOT NULL, \
         note TEXT NOT NULL, created_at TEXT NOT NULL)",
    )
    .await?;
    Ok(conn)
}

async fn raw_insert(conn: &mut sqlx::AnyConnection, debt: i64, i: usize) -> anyhow::Result<()> {
    let mut tx = conn.begin().await?;
    sqlx::query(
        "INSERT INTO raw_debt_actions (id, debt_id, method, amount_fen, acted_on, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(i as i64 + 1)
    .bind(debt)
    .bind("repayment")
    .bind(1_i64)
    .bind("2024-03-01")
    .bind("")
    .bind(store::now_text())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

fn pg_name() -> String {
    format!("grassroots_post_{}", std::process::id())
}

async fn scratch_pg(admin: &str) -> anyhow::Result<String> {
    crate::bench_scratch::create_pg(admin, &pg_name()).await
}

async fn drop_pg(admin: &str) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    conn.execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg_name()).as_str())
        .await?;
    Ok(())
}

/// A minimal HTTP/1.1 client on one keep-alive connection (the answers are small JSON bodies
/// with a Content-Length).
struct Client {
    stream: TcpStream,
    host: String,
    buf: Vec<u8>,
}

impl Client {
    async fn connect(addr: &str) -> anyhow::Result<Client> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream,
            host: addr.to_string(),
            buf: Vec::new(),
        })
    }

    async fn post(
        &mut self,
        path: &str,
        token: &str,
        key: &str,
        body: &str,
    ) -> anyhow::Result<u16> {
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.stream.write_all(req.as_bytes()).await?;
        tokio::time::timeout(Duration::from_secs(60), self.answer())
            .await
            .context("no answer within 60 s")?
    }

    /// Reads one answer; returns its status.
    async fn answer(&mut self) -> anyhow::Result<u16> {
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                let status: u16 = head
                    .split_whitespace()
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .context("no status line")?;
                let length: usize = head
                    .lines()
                    .filter_map(|l| l.split_once(':'))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.trim().parse().ok())
                    .context("answer without Content-Length")?;
                while self.buf.len() < end + 4 + length {
                    let n = self.stream.read(&mut chunk).await?;
                    anyhow::ensure!(n > 0, "connection closed mid-answer");
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                self.buf.drain(..end + 4 + length);
                return Ok(status);
            }
            let n = self.stream.read(&mut chunk).await?;
            anyhow::ensure!(n > 0, "connection closed");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}
