//! Timing the county's pages per role through the real router, in process: each request goes
//! through `tower::ServiceExt::oneshot` on `web::router` (every middleware, the session
//! look-up, the handler, the rendering, reading the whole body), with the session cookie of a
//! real login. No socket: the figures are the application's time, not the network's.
//!
//! Baseline: the national administrator (whose scope adds no subtree bound to any query)
//! requesting the same URL. For the county officer that is the same rows without the scope
//! filter (the database holds this one county); for a township or village account it is the
//! same page over the whole county, i.e. the unscoped query over 20× / 500× the rows.

use crate::bench_county::{County, COUNTY, PROVINCE};
use crate::bench_scratch::Scratch;
use app::accounts::{add_user, login, NewUser};
use app::{Actor, App, PersonalCipher};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use domain::access::Role;
use http_body_util::BodyExt;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;
use tower::ServiceExt;

const PASSWORD: &str = "bench-county-2026";
const WARM_UP: usize = 5;
/// A figure stops after this long even short of `n` requests (a page taking a second would
/// otherwise hold the run for minutes); its row says how many requests it got.
const FIGURE_BUDGET_S: f64 = 30.0;

#[derive(Serialize, Clone)]
pub(crate) struct Row {
    pub page: String,
    pub role: String,
    pub path: String,
    pub requests: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub baseline_p50_ms: Option<f64>,
    pub baseline_p95_ms: Option<f64>,
    pub ratio: Option<f64>,
    pub goal_ms: f64,
    pub goal_met: bool,
}

async fn account(
    app: &App,
    username: &str,
    role: Role,
    unit: Option<&str>,
) -> anyhow::Result<String> {
    add_user(
        app,
        &Actor::cli(),
        NewUser {
            username: username.into(),
            display_name: username.into(),
            password: PASSWORD.into(),
            role,
            unit_code: unit.map(str::to_string),
        },
    )
    .await?;
    let s = login(app, username, PASSWORD, "bench").await?;
    // The router is built with insecure (plain-name) cookies: no __Host- prefix.
    Ok(format!("gr_session={}", s.token))
}

/// One GET answered 200 with its whole body read, in milliseconds.
async fn get_ms(router: &Router, cookie: &str, path: &str) -> anyhow::Result<f64> {
    let req = Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())?;
    let started = Instant::now();
    let res = router.clone().oneshot(req).await?;
    let status = res.status();
    let body = res.into_body().collect().await?.to_bytes();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(
        status == StatusCode::OK,
        "GET {path} answered {status}: {}",
        String::from_utf8_lossy(&body)
            .chars()
            .take(300)
            .collect::<String>()
    );
    Ok(ms)
}

/// `n` timed GETs of `path` (after a warm-up) for `cookie`, and, when a baseline account is
/// given, the same GET for it interleaved request by request, so both see the same machine
/// load (the machine is shared).
async fn time_pair(
    router: &Router,
    cookie: &str,
    baseline: Option<&str>,
    path: &str,
    n: usize,
) -> anyhow::Result<(Vec<f64>, Vec<f64>)> {
    let (mut own, mut base) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let started = Instant::now();
    for i in 0..n + WARM_UP {
        if started.elapsed().as_secs_f64() > FIGURE_BUDGET_S && own.len() >= 20 {
            break;
        }
        let a = get_ms(router, cookie, path).await?;
        let b = match baseline {
            Some(c) => Some(get_ms(router, c, path).await?),
            None => None,
        };
        if i >= WARM_UP {
            own.push(a);
            base.extend(b);
        }
    }
    Ok((own, base))
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    (v[i.min(v.len() - 1)] * 100.0).round() / 100.0
}

async fn first_household(app: &App, village: &str) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT MIN(id) FROM households WHERE village_code = $1")
            .bind(village)
            .fetch_one(&app.db.pool)
            .await?,
    )
}

pub(crate) async fn measure(app: &App, c: &County, n: usize) -> anyhow::Result<Vec<Row>> {
    let township = c.townships[0].clone();
    let village = c.villages[0].clone();
    let roles = [
        (
            "village_cadre",
            Role::VillageCadre,
            Some(village.clone()),
            1usize,
        ),
        (
            "township_officer",
            Role::TownshipOfficer,
            Some(township.clone()),
            25,
        ),
        (
            "county_officer",
            Role::CountyOfficer,
            Some(COUNTY.to_string()),
            500,
        ),
        ("national_admin", Role::Admin, None, 500),
    ];
    let mut cookies = Vec::new();
    for (name, role, unit, _) in &roles {
        cookies.push(account(app, &name.replace('_', "-"), *role, unit.as_deref()).await?);
    }
    let admin_cookie = cookies[3].clone();
    let router = web::router(app.clone(), false);
    let household = first_household(app, &village).await? + (c.households_per_village as i64) / 2;
    let round = c.rounds[0];
    let mut rows = Vec::new();
    for ((name, _, unit, villages), cookie) in roles.iter().zip(&cookies) {
        let root = unit.clone().unwrap_or_default();
        let in_scope = c.households_per_village * villages;
        let middle = (in_scope / 30 / 2).max(1);
        let tree = if root.is_empty() {
            format!("/units/{PROVINCE}")
        } else {
            format!("/units/{root}")
        };
        let ledger = if root.is_empty() {
            format!("/units/{COUNTY}/ledger")
        } else {
            format!("/units/{root}/ledger")
        };
        let pages = [
            ("dashboard", "/".to_string()),
            ("unit tree", tree),
            ("household list, page 1", "/households".to_string()),
            (
                "household list, middle page",
                format!("/households?page={middle}"),
            ),
            (
                "household list, text search",
                format!("/households?q={}", enc("王建国")),
            ),
            ("household file", format!("/households/{household}")),
            ("ledger ranking", ledger),
            ("credit round page", format!("/credit/rounds/{round}")),
        ];
        for (page, path) in pages {
            let baseline = (*name != "national_admin").then_some(admin_cookie.as_str());
            let (mut own, mut base) = time_pair(&router, cookie, baseline, &path, n).await?;
            let requests = own.len();
            let (p50, p95) = (pct(&mut own, 0.5), pct(&mut own, 0.95));
            let (b50, b95) = if base.is_empty() {
                (None, None)
            } else {
                (Some(pct(&mut base, 0.5)), Some(pct(&mut base, 0.95)))
            };
            let ratio = b95.map(|b| ((p95 / b.max(0.01)) * 100.0).round() / 100.0);
            let goal_met = p95 <= 100.0 && ratio.is_none_or(|r| r <= 1.5);
            eprintln!(
                "{page:<30} {name:<17} p50 {p50:>8.2} ms  p95 {p95:>8.2} ms  baseline p95 {b95:?}"
            );
            rows.push(Row {
                page: page.into(),
                role: (*name).into(),
                path,
                requests,
                p50_ms: p50,
                p95_ms: p95,
                baseline_p50_ms: b50,
                baseline_p95_ms: b95,
                ratio,
                goal_ms: 100.0,
                goal_met,
            });
        }
    }
    Ok(rows)
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The dashboard on the whole national division tree (no households), one account per level.
pub(crate) async fn national(
    url: Option<&str>,
    dir: &Path,
    n: usize,
    scratch: Option<&Path>,
) -> anyhow::Result<Vec<Row>> {
    let s = Scratch::new(url, "national", scratch).await?;
    let app = App::open(&s.url, PersonalCipher::new([7; 32])).await?;
    let started = Instant::now();
    app::registry::units::import_divisions(&app, &Actor::cli(), dir, |_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if s.engine() == "PostgreSQL" {
        sqlx::query("VACUUM ANALYZE").execute(&app.db.pool).await?;
    }
    eprintln!(
        "national divisions imported in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let village: String = sqlx::query_scalar(
        "SELECT MIN(code) FROM units WHERE level = 'village' AND code >= '140581'",
    )
    .fetch_one(&app.db.pool)
    .await?;
    let levels = [
        ("village", Role::VillageCadre, Some(village.clone())),
        (
            "township",
            Role::TownshipOfficer,
            Some(village[..9].to_string()),
        ),
        (
            "county",
            Role::CountyOfficer,
            Some(village[..6].to_string()),
        ),
        (
            "province",
            Role::CountyOfficer,
            Some(village[..2].to_string()),
        ),
        ("national", Role::Admin, None),
    ];
    let router = web::router(app.clone(), false);
    let mut rows = Vec::new();
    for (level, role, unit) in levels {
        let cookie = account(&app, &format!("n-{level}"), role, unit.as_deref()).await?;
        let (mut t, _) = time_pair(&router, &cookie, None, "/", n).await?;
        let requests = t.len();
        let (p50, p95) = (pct(&mut t, 0.5), pct(&mut t, 0.95));
        eprintln!("national dashboard {level:<9} p50 {p50:>8.2} ms  p95 {p95:>8.2} ms");
        rows.push(Row {
            page: "dashboard (national tree)".into(),
            role: format!("{level} ({})", unit.as_deref().unwrap_or("all")),
            path: "/".into(),
            requests,
            p50_ms: p50,
            p95_ms: p95,
            baseline_p50_ms: None,
            baseline_p95_ms: None,
            ratio: None,
            goal_ms: 50.0,
            goal_met: p95 <= 50.0,
        });
    }
    app.db.close().await;
    s.finish(false).await?;
    Ok(rows)
}

pub(crate) fn report(
    json: bool,
    meta: &serde_json::Value,
    rows: &[Row],
    national: Option<&[Row]>,
) -> anyhow::Result<()> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "run": meta,
                "baseline": "the national administrator (no subtree bound) requesting the same URL",
                "client": "in-process tower::ServiceExt::oneshot on web::router, session cookie",
                "pages": rows,
                "national_tree_dashboard": national,
            }))?
        );
        return Ok(());
    }
    println!("county bench: {meta}");
    println!("baseline = the national administrator (no subtree bound) requesting the same URL; in-process oneshot on web::router");
    println!(
        "{:<30} {:<17} {:>5} {:>9} {:>9} {:>12} {:>6}  goal",
        "page", "role", "n", "p50 ms", "p95 ms", "base p95", "ratio"
    );
    for r in rows.iter().chain(national.unwrap_or_default()) {
        println!(
            "{:<30} {:<17} {:>5} {:>9.2} {:>9.2} {:>12} {:>6}  {} (≤ {} ms{})",
            r.page,
            r.role,
            r.requests,
            r.p50_ms,
            r.p95_ms,
            r.baseline_p95_ms
                .map(|b| format!("{b:.2}"))
                .unwrap_or("-".into()),
            r.ratio.map(|b| format!("{b:.2}")).unwrap_or("-".into()),
            if r.goal_met { "met" } else { "MISSED" },
            r.goal_ms,
            if r.ratio.is_some() { ", ≤ 1.5×" } else { "" }
        );
    }
    Ok(())
}
