//! `grassroots bench public-page`: the village's public credit page under a QR code's traffic,
//! against the cheapest answer the same server can give.
//!
//! A fresh demo database (as `grassroots demo` seeds it) is served by the real router on a
//! free port, in this process. The baseline is a bench-only route merged into the same
//! server (`web::static_baseline`) answering the page's exact bytes from memory, with the same
//! headers and the same layers (body limit, security headers); it skips what the page route
//! does per request: the cache look-up, the language cookie, the freshness check and, once a
//! second, the version query. No HSTS on either (plain HTTP, as the demo).
//!
//! The load generator is our own (wrk is not installed here): keep-alive HTTP/1.1
//! connections, one request in flight on each, driven by a single-threaded tokio runtime on
//! its own OS thread (like `wrk -t1`), so it does not share the server's worker threads. A
//! request counts when its whole body has arrived with status 200; latency is from writing
//! the request to the last body byte.

use crate::CmdResult;
use anyhow::Context;
use app::{App, PersonalCipher};
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

const VILLAGE: &str = "140581104201";
const STATIC_PATH: &str = "/bench/static";

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub seconds: u64,
    pub connections: usize,
}

struct Stats {
    ok: u64,
    errors: u64,
    secs: f64,
    /// Microseconds, sorted.
    latencies: Vec<u32>,
}

impl Stats {
    fn add(&mut self, more: Stats) {
        self.ok += more.ok;
        self.errors += more.errors;
        self.secs += more.secs;
        self.latencies.extend(more.latencies);
        self.latencies.sort_unstable();
    }
    fn per_s(&self) -> f64 {
        self.ok as f64 / self.secs
    }
    fn pct_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        f64::from(self.latencies[i]) / 1000.0
    }
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "requests": self.ok,
            "errors": self.errors,
            "seconds": self.secs,
            "requests_per_s": self.per_s(),
            "p50_ms": self.pct_ms(0.50),
            "p99_ms": self.pct_ms(0.99),
            "max_ms": self.pct_ms(1.0),
        })
    }
}

/// The public page of the demo at `page` (`None`: the credit publicity page).
pub async fn run_page(
    opts: Options,
    page: Option<&str>,
    scratch: Option<&Path>,
    keep: bool,
    json: bool,
) -> CmdResult {
    let file = crate::bench::scratch_file(scratch, "public-page");
    let result = measure(opts, &file, json, page).await;
    if keep {
        eprintln!("kept {}", file.display());
    } else {
        crate::bench::cleanup(&file);
    }
    result
}

async fn measure(opts: Options, file: &Path, json: bool, page: Option<&str>) -> CmdResult {
    let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let app = App::open(
        &format!("sqlite://{}", file.display()),
        PersonalCipher::new([7; 32]),
    )
    .await?;
    if !json {
        eprintln!("seeding the demo database {} …", file.display());
    }
    app::demo::seed(&app).await?;
    let page = page
        .map(str::to_string)
        .unwrap_or_else(|| format!("/public/villages/{VILLAGE}/credit"));

    // The page's bytes exactly as the server answers them, for the baseline route.
    let router = web::router(app.clone(), false);
    let res = router
        .clone()
        .oneshot(
            axum::http::Request::get(&page)
                .body(axum::body::Body::empty())
                .context("request")?,
        )
        .await
        .context("the page")?;
    anyhow::ensure!(res.status() == 200, "the page answered {}", res.status());
    let body = axum::body::to_bytes(res.into_body(), 1 << 24).await?;
    let router = router.merge(web::static_baseline(STATIC_PATH, body.clone(), false));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });

    let len = body.len();
    let warm = Duration::from_secs(1);
    // Static, page, page, static, half the time each: a machine whose load drifts (other
    // builds) weighs on both alike.
    let half = Duration::from_millis(opts.seconds * 500);
    let c = opts.connections;
    drive(addr, STATIC_PATH, c, warm, len).await?;
    drive(addr, &page, c, warm, len).await?;
    let mut baseline = drive(addr, STATIC_PATH, c, half, len).await?;
    let mut ours = drive(addr, &page, c, half, len).await?;
    ours.add(drive(addr, &page, c, half, len).await?);
    baseline.add(drive(addr, STATIC_PATH, c, half, len).await?);
    server.abort();
    app.db.close().await;

    let ratio = ours.per_s() / baseline.per_s();
    let load_after = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load_before.split_whitespace().take(3).collect::<Vec<_>>();
    let load_after = load_after.split_whitespace().take(3).collect::<Vec<_>>();
    let figures = serde_json::json!({
        "connections": opts.connections,
        "seconds": opts.seconds,
        "body_bytes": len,
        "page": ours.json(),
        "static_baseline": baseline.json(),
        "ratio_requests_per_s": ratio,
        "goal": {"ratio_at_least": 0.5, "p99_ms_at_most": 20.0},
        "met": ratio >= 0.5 && ours.pct_ms(0.99) <= 20.0,
        "load_average_before": load,
        "load_average_after": load_after,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "load_generator": "built in: keep-alive HTTP/1.1, one request in flight per connection, one thread",
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "public credit page, {} connections, {} s each, {len} bytes (load average before: {}, after: {})",
            opts.connections,
            opts.seconds,
            load.join(" "),
            load_after.join(" ")
        );
        for (name, s) in [("static baseline", &baseline), ("public page", &ours)] {
            println!(
                "  {name:<16} {:>9.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   ({} requests, {} errors)",
                s.per_s(),
                s.pct_ms(0.5),
                s.pct_ms(0.99),
                s.ok,
                s.errors
            );
        }
        println!("  ratio (page / static): {ratio:.2}  (goal ≥ 0.5, p99 ≤ 20 ms)");
    }
    Ok(ExitCode::SUCCESS)
}

/// `connections` keep-alive connections asking for `path` for `how_long`, on a runtime of its
/// own on its own thread.
async fn drive(
    addr: SocketAddr,
    path: &str,
    connections: usize,
    how_long: Duration,
    expect_len: usize,
) -> anyhow::Result<Stats> {
    let path = path.to_string();
    let handle = std::thread::spawn(move || -> anyhow::Result<Stats> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let started = Instant::now();
            let deadline = started + how_long;
            let tasks: Vec<_> = (0..connections)
                .map(|_| {
                    let path = path.clone();
                    tokio::spawn(async move { connection(addr, &path, deadline, expect_len).await })
                })
                .collect();
            let mut stats = Stats {
                ok: 0,
                errors: 0,
                secs: 0.0,
                latencies: Vec::new(),
            };
            for t in tasks {
                let (ok, errors, lat) = t.await??;
                stats.ok += ok;
                stats.errors += errors;
                stats.latencies.extend(lat);
            }
            stats.secs = started.elapsed().as_secs_f64();
            stats.latencies.sort_unstable();
            Ok(stats)
        })
    });
    tokio::task::spawn_blocking(move || handle.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the load generator thread panicked"))?
}

/// One connection: request, read the whole answer, again, until the deadline.
async fn connection(
    addr: SocketAddr,
    path: &str,
    deadline: Instant,
    expect_len: usize,
) -> anyhow::Result<(u64, u64, Vec<u32>)> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    s.set_nodelay(true)?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut buf: Vec<u8> = Vec::with_capacity(expect_len + 4096);
    let mut chunk = vec![0u8; 64 * 1024];
    let (mut ok, mut errors, mut lat) = (0u64, 0u64, Vec::new());
    while Instant::now() < deadline {
        let t0 = Instant::now();
        s.write_all(req.as_bytes()).await?;
        buf.clear();
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = s.read(&mut chunk).await?;
            anyhow::ensure!(n > 0, "the server closed the connection");
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let status_ok = head.starts_with("http/1.1 200");
        let body_len = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .context("an answer without Content-Length")?;
        while buf.len() < head_end + body_len {
            let n = s.read(&mut chunk).await?;
            anyhow::ensure!(n > 0, "the server closed the connection");
            buf.extend_from_slice(&chunk[..n]);
        }
        if status_ok && body_len == expect_len {
            ok += 1;
            lat.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
        } else {
            errors += 1;
        }
    }
    Ok((ok, errors, lat))
}
