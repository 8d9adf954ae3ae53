//! `grassroots bench county`: one county of 20 townships × 25 villages, each village with 8
//! grids × 10 micro-grids and 1,000 households (× `--scale`) of ~3 members with valid,
//! encrypted resident IDs; 50,000 contracts and 20,000 debts with actions imported through the
//! ledger import use case; one credit round per township, assessed, published and finalised by
//! the credit use cases. Then every listed page is timed per role through the real router
//! (`bench_county_measure`). Households and members are bulk-written as multi-row INSERTs, but
//! with exactly the columns the application writes: the stored member rows come from
//! `app::registry::members::member_row` (PersonalCipher ciphertext, keyed hash, masked form).

use crate::{Cli, CmdResult};
use anyhow::Context;
use app::{Actor, App, PersonalCipher};
use domain::lcg::Lcg;
use domain::registry::MemberDraft;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use store::registry::units::UnitRow;

/// A synthetic county under Shanxi (14), not in the division tables, so its townships,
/// villages and grids are all ours.
pub(crate) const PROVINCE: &str = "14";
pub(crate) const CITY: &str = "1499";
pub(crate) const COUNTY: &str = "149901";
const TOWNSHIPS: usize = 20;
const VILLAGES_PER_TOWNSHIP: usize = 25;
const GRIDS_PER_VILLAGE: usize = 8;
const MICRO_PER_GRID: usize = 10;
const CONTRACTS: usize = 50_000;
const DEBTS: usize = 20_000;

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: [&str; 24] = [
    "建国", "秀英", "志强", "桂兰", "国华", "玉梅", "永红", "春生", "海燕", "德明", "丽娟", "小军",
    "文斌", "翠花", "金山", "红梅", "振华", "淑珍", "长青", "美玲", "卫东", "秋菊", "保国", "雪莲",
];

/// What was generated, for the measuring phase.
pub(crate) struct County {
    pub townships: Vec<String>,
    pub villages: Vec<String>,
    /// One finalised round per township, in township order.
    pub rounds: Vec<i64>,
    pub households_per_village: usize,
    pub households: usize,
    pub members: usize,
}

fn lit(s: Option<&str>) -> String {
    match s {
        Some(v) => format!("'{}'", v.replace('\'', "''")),
        None => "NULL".into(),
    }
}

fn unit(code: String, name: String, level: &str, parent: Option<&str>) -> UnitRow {
    UnitRow {
        code,
        name,
        level: level.into(),
        parent_code: parent.map(str::to_string),
        leader: String::new(),
    }
}

/// The tree: province, city, county, townships, villages, grids, micro-grids.
fn units() -> (Vec<UnitRow>, Vec<String>, Vec<String>) {
    let mut rows = vec![
        unit(PROVINCE.into(), "山西省".into(), "province", None),
        unit(CITY.into(), "基准市".into(), "city", Some(PROVINCE)),
        unit(COUNTY.into(), "基准县".into(), "county", Some(CITY)),
    ];
    let (mut townships, mut villages) = (Vec::new(), Vec::new());
    for t in 0..TOWNSHIPS {
        let tc = format!("{COUNTY}{:03}", 100 + t);
        rows.push(unit(
            tc.clone(),
            format!("基准{}镇", t + 1),
            "township",
            Some(COUNTY),
        ));
        for v in 0..VILLAGES_PER_TOWNSHIP {
            let vc = format!("{tc}{:03}", 200 + v);
            rows.push(unit(
                vc.clone(),
                format!("{}镇{}村", t + 1, v + 1),
                "village",
                Some(&tc),
            ));
            for g in 1..=GRIDS_PER_VILLAGE {
                let gc = format!("{vc}{g:03}");
                rows.push(unit(gc.clone(), format!("第{g}网格"), "grid", Some(&vc)));
                for m in 1..=MICRO_PER_GRID {
                    rows.push(unit(
                        format!("{gc}{m:03}"),
                        format!("第{g}网格第{m}微网格"),
                        "micro_grid",
                        Some(&gc),
                    ));
                }
            }
            villages.push(vc);
        }
        townships.push(tc);
    }
    (rows, townships, villages)
}

/// A unique, valid resident ID for person number `p`: the birth date walks 25,000 days from
/// 1940 and the order code takes the rest of `p` (its parity is the sex, as GB 11643 says).
fn resident_id(p: usize, male: bool) -> String {
    let day = (p % 25_000) as i64;
    let block = p / 25_000;
    let birth = chrono::NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default()
        + chrono::Duration::days(day);
    let order = (block * 2 + usize::from(male)) % 1000;
    domain::ResidentId::from_first17(&format!("{COUNTY}{}{order:03}", birth.format("%Y%m%d")))
        .map(|r| r.as_str().to_string())
        .unwrap_or_default()
}

/// Households and members of one village as multi-row INSERTs; ids are given explicitly so
/// members can point at their household without reading ids back.
fn village_sql(
    app: &App,
    village: &str,
    first_id: i64,
    count: usize,
    person: &mut usize,
    rng: &mut Lcg,
    now: &str,
) -> anyhow::Result<(Vec<String>, usize)> {
    let (township, county) = (&village[..9], &village[..6]);
    let micro = GRIDS_PER_VILLAGE * MICRO_PER_GRID;
    let mut h = String::from(
        "INSERT INTO households (id, village_code, township_code, county_code, grid_code, \
         household_no, address, head_name, tags, notes, member_count, created_at, updated_at) VALUES ",
    );
    let mut stmts = Vec::new();
    let mut m = String::new();
    let mut m_rows = 0;
    let mut members = 0;
    for i in 0..count {
        let id = first_id + i as i64;
        // Spread households evenly over the micro-grids (12–13 each at full scale).
        let slot = (i * micro / count.max(1)).min(micro - 1);
        let grid = format!(
            "{village}{:03}{:03}",
            slot / MICRO_PER_GRID + 1,
            slot % MICRO_PER_GRID + 1
        );
        let mut drafts = Vec::new();
        let size = 2 + rng.next(3) as usize;
        for k in 0..size {
            let male = match k {
                0 => true,
                1 => false,
                _ => rng.next(2) == 0,
            };
            let name = format!(
                "{}{}",
                SURNAMES[rng.next(20) as usize],
                GIVEN[rng.next(24) as usize]
            );
            let relation = match k {
                0 => "户主",
                1 => "配偶",
                _ if male => "子",
                _ => "女",
            };
            drafts.push(MemberDraft {
                name,
                relation: relation.into(),
                resident_id: resident_id(*person, male),
                phone: if k == 0 {
                    format!("1{}{:09}", 3 + rng.next(6), rng.next(1_000_000_000))
                } else {
                    String::new()
                },
                ..Default::default()
            });
            *person += 1;
        }
        let head = drafts[0].name.clone();
        let tags = match rng.next(10) {
            0 => "party_member",
            1 => "low_income",
            2 => "party_member,military",
            _ => "",
        };
        if i > 0 {
            h.push(',');
        }
        let _ = write!(
            h,
            "({id},'{village}','{township}','{county}','{grid}','{}{:04}','{}组{}号',{},'{tags}','',{},'{now}','{now}')",
            &village[9..],
            i + 1,
            1 + i / 30,
            1 + i % 30,
            lit(Some(&head)),
            drafts.len()
        );
        for (pos, d) in drafts.iter().enumerate() {
            let member = d
                .validate()
                .map_err(|e| anyhow::anyhow!("generated member invalid: {e:?}"))?;
            let r = app::registry::members::member_row(app, id, pos as i64, &member)?;
            if m_rows == 0 {
                m.push_str(
                    "INSERT INTO members (household_id, position, name, relation, sex, birth_date, \
                     id_cipher, id_hash, id_masked, phone_cipher, phone_masked) VALUES ",
                );
            } else {
                m.push(',');
            }
            let _ = write!(
                m,
                "({id},{pos},{},{},{},{},{},{},{},{},{})",
                lit(Some(&r.name)),
                lit(Some(&r.relation)),
                lit(r.sex.as_deref()),
                lit(r.birth_date.as_deref()),
                lit(r.id_cipher.as_deref()),
                lit(r.id_hash.as_deref()),
                lit(r.id_masked.as_deref()),
                lit(r.phone_cipher.as_deref()),
                lit(r.phone_masked.as_deref()),
            );
            m_rows += 1;
            members += 1;
            if m_rows == 1000 {
                stmts.push(std::mem::take(&mut m));
                m_rows = 0;
            }
        }
    }
    if m_rows > 0 {
        stmts.push(m);
    }
    stmts.insert(0, h);
    Ok((stmts, members))
}

/// Builds the whole county in `app`'s (empty) database.
pub(crate) async fn generate(app: &App, scale: f64) -> anyhow::Result<County> {
    let cli = Actor::cli();
    let (rows, townships, villages) = units();
    {
        let mut tx = app.db.pool.begin().await?;
        store::registry::units::upsert(&mut tx, &rows).await?;
        let provinces = [PROVINCE.to_string()].into_iter().collect();
        store::registry::units::recount_levels(&mut tx, &provinces).await?;
        tx.commit().await?;
    }
    let per = ((1000.0 * scale).round() as usize).max(1);
    let now = store::now_text();
    let mut rng = Lcg(2026);
    let mut person = 0usize;
    let mut members = 0usize;
    let started = Instant::now();
    // One transaction per 25 villages (one township): big, but not one giant WAL.
    for (t, chunk) in villages.chunks(VILLAGES_PER_TOWNSHIP).enumerate() {
        let mut tx = app.db.pool.begin().await?;
        for (v, village) in chunk.iter().enumerate() {
            let first = ((t * VILLAGES_PER_TOWNSHIP + v) * per + 1) as i64;
            let (stmts, n) = village_sql(app, village, first, per, &mut person, &mut rng, &now)?;
            members += n;
            for s in stmts {
                sqlx::raw_sql(&s).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        eprint!(
            "\rhouseholds: {} / {} townships ({:.0} s)",
            t + 1,
            townships.len(),
            started.elapsed().as_secs_f64()
        );
    }
    eprintln!();
    let households = per * villages.len();
    if app.db.backend == app::Backend::Postgres {
        sqlx::query(
            "SELECT setval(pg_get_serial_sequence('households', 'id'), (SELECT MAX(id) FROM households))",
        )
        .execute(&app.db.pool)
        .await?;
    }
    ledgers(app, &cli, &villages).await?;
    let rounds = credit(app, &cli, &townships, per * VILLAGES_PER_TOWNSHIP).await?;
    Ok(County {
        townships,
        villages,
        rounds,
        households_per_village: per,
        households,
        members,
    })
}

/// Contracts, debts and debt actions through the real import use case (flags, claims, audit).
async fn ledgers(app: &App, cli: &Actor, villages: &[String]) -> anyhow::Result<()> {
    use app::ledger::{import, Kind};
    let started = Instant::now();
    let (debts, actions) = crate::bench_ledger::debts_csv(DEBTS / villages.len());
    for (v, code) in villages.iter().enumerate() {
        let files = [
            (
                Kind::Contracts,
                crate::bench_ledger::contracts_csv(v, CONTRACTS / villages.len()),
            ),
            (Kind::Debts, debts.clone()),
            (Kind::DebtActions, actions.clone()),
        ];
        for (kind, text) in files {
            import::import(app, cli, code, kind, "bench.csv", text.as_bytes(), false)
                .await
                .map_err(|e| anyhow::anyhow!("{code} {}: {e}", kind.as_str()))?;
        }
        if v % 50 == 49 {
            eprint!(
                "\rledgers: {} / {} villages ({:.0} s)",
                v + 1,
                villages.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!();
    Ok(())
}

/// One round per township: ~2 score records per household, then assess, publish (publicity
/// over) and finalise through the use cases.
async fn credit(
    app: &App,
    cli: &Actor,
    townships: &[String],
    per_township: usize,
) -> anyhow::Result<Vec<i64>> {
    let rules = domain::credit::RuleSet::default_set().map_err(|e| anyhow::anyhow!("{e}"))?;
    let codes: Vec<String> = rules.items().iter().map(|i| i.code.clone()).collect();
    let today = app::credit::today();
    let now = store::now_text();
    let mut rng = Lcg(7);
    let mut rounds = Vec::new();
    for (t, township) in townships.iter().enumerate() {
        let round = app::credit::rounds::open(app, cli, township, "2026", None).await?;
        let first = t * per_township + 1;
        let mut tx = app.db.pool.begin().await?;
        let mut sql = String::new();
        let mut n = 0;
        for hid in first..first + per_township {
            for _ in 0..1 + rng.next(3) {
                let code = &codes[rng.next(codes.len() as u64) as usize];
                crate::bench_credit::next_record_row(&mut sql, n == 0);
                let _ = write!(
                    sql,
                    "({round},{hid},'{code}','2026-{:02}-{:02}','grid{}','photo.jpg','reviewer','{now}')",
                    1 + rng.next(9),
                    1 + rng.next(28),
                    rng.next(80)
                );
                n += 1;
                if n == 1000 {
                    sqlx::raw_sql(&sql).execute(&mut *tx).await?;
                    n = 0;
                }
            }
        }
        if n > 0 {
            sqlx::raw_sql(&sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        let start = today - chrono::Duration::days(20);
        app::credit::assess::assess(app, cli, round, start).await?;
        app::credit::rounds::publish(app, cli, round, Some(7), start).await?;
        app::credit::rounds::finalize(app, cli, round, today, false).await?;
        rounds.push(round);
        eprint!("\rcredit rounds: {} / {}", t + 1, townships.len());
    }
    eprintln!();
    Ok(rounds)
}

pub struct Options<'a> {
    pub url: Option<&'a str>,
    pub scale: f64,
    pub keep: bool,
    pub requests: usize,
    pub national: Option<&'a Path>,
    pub scratch: Option<&'a Path>,
}

pub async fn run(cli: &Cli, o: Options<'_>) -> CmdResult {
    anyhow::ensure!(o.scale > 0.0 && o.scale <= 1.0, "--scale must be in (0, 1]");
    let load = |_: ()| std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load_before = load(());
    let scratch = crate::bench_scratch::Scratch::new(o.url, "county", o.scratch).await?;
    let engine = scratch.engine();
    let app = App::open(&scratch.url, PersonalCipher::new([7; 32])).await?;
    let started = Instant::now();
    let county = generate(&app, o.scale)
        .await
        .context("generating the county")?;
    if engine == "PostgreSQL" {
        // The steady state autovacuum reaches after a bulk load (statistics, visibility map).
        sqlx::query("VACUUM ANALYZE").execute(&app.db.pool).await?;
    }
    let generation_s = started.elapsed().as_secs_f64();
    eprintln!(
        "generated {} households, {} members, {} villages in {generation_s:.1} s ({engine})",
        county.households,
        county.members,
        county.villages.len()
    );
    let rows = crate::bench_county_measure::measure(&app, &county, o.requests).await?;
    app.db.close().await;
    scratch.finish(o.keep).await?;
    let national = match o.national {
        Some(dir) => {
            Some(crate::bench_county_measure::national(o.url, dir, o.requests, o.scratch).await?)
        }
        None => None,
    };
    let load_after = load(());
    crate::bench_county_measure::report(
        cli.json,
        &serde_json::json!({
            "engine": engine,
            "scale": o.scale,
            "households": county.households,
            "households_per_village": county.households_per_village,
            "members": county.members,
            "villages": county.villages.len(),
            "generation_seconds": (generation_s * 10.0).round() / 10.0,
            "requests_per_figure": o.requests,
            "loadavg_before": load_before.trim(),
            "loadavg_after": load_after.trim(),
        }),
        &rows,
        national.as_deref(),
    )?;
    Ok(ExitCode::SUCCESS)
}
