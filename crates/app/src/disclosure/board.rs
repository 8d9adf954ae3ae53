//! What villagers read (a village's board, one disclosure) and what officers read (which
//! villages published each category on time, late, or not at all).

use crate::{Actor, App, AppError, Result};
use chrono::{Datelike, NaiveDate};
use domain::access::Permission;
use domain::disclosure::schedule::{self, Due, Summary};
use domain::disclosure::table::Table;
use domain::disclosure::{Module, Period};
use domain::message::catalogue as msg;
use domain::Fen;
use serde::Serialize;
use store::disclosure::{self as rows, DisclosureRow};
use store::registry::units::{self, UnitRow};

/// One published disclosure as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DisclosureView {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub module: Module,
    /// The module as stored (what the log's leaf holds).
    pub module_key: String,
    pub category: String,
    pub category_name: String,
    pub period: String,
    pub period_label: String,
    pub title: String,
    pub body: String,
    pub table: Option<Table>,
    pub totals: Vec<Option<Fen>>,
    pub attachments: Vec<String>,
    pub prepared_by: String,
    pub approved_by: Option<String>,
    pub published_by: String,
    pub published_at: String,
    pub supersedes: Option<i64>,
    pub superseded_by: Option<i64>,
    pub log_index: Option<i64>,
}

fn view(app: &App, row: DisclosureRow, unit_name: &str) -> Result<DisclosureView> {
    let table = super::stored_table(row.id, row.content.table_json.as_deref())?;
    let totals = match &table {
        Some(t) => t.totals()?,
        None => Vec::new(),
    };
    let category_name = app
        .config
        .disclosure
        .get(&row.content.category)
        .map(|c| c.name.clone())
        .unwrap_or_else(|_| row.content.category.clone());
    let c = row.content;
    Ok(DisclosureView {
        id: row.id,
        unit_name: unit_name.to_string(),
        module: Module::parse(&c.module).unwrap_or(Module::Other),
        module_key: c.module.clone(),
        period_label: Period::parse(&c.period)
            .map(|p| p.label_zh())
            .unwrap_or_else(|_| c.period.clone()),
        unit_code: c.unit_code,
        category: c.category,
        category_name,
        period: c.period,
        title: c.title,
        body: c.body,
        table,
        totals,
        attachments: serde_json::from_str(&row.attachments).unwrap_or_default(),
        prepared_by: row.prepared_by_name,
        approved_by: row.approved_by_name,
        published_by: row.published_by_name,
        published_at: row.published_at,
        supersedes: c.supersedes,
        superseded_by: row.superseded_by,
        log_index: row.log_index,
    })
}

async fn village_row(c: &mut store::AnyConnection, code: &str) -> Result<UnitRow> {
    match units::get(c, code).await? {
        Some(u) if u.level == "village" => Ok(u),
        _ => Err(AppError::NotFound(msg::RECORD.text())),
    }
}

/// One published disclosure; public (disclosures are published to be read by anyone).
pub async fn public_one(app: &App, id: i64) -> Result<DisclosureView> {
    let mut c = app.db.read().await?;
    let row = rows::by_id(&mut c, id)
        .await?
        .ok_or_else(|| AppError::NotFound(msg::RECORD.text()))?;
    let unit = village_row(&mut c, &row.content.unit_code).await?;
    view(app, row, &unit.name)
}

/// A village's public board: its disclosures by module, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub code: String,
    pub name: String,
    /// Township and county names, for the heading.
    pub place: Vec<String>,
    pub modules: Vec<(Module, Vec<DisclosureView>)>,
}

pub async fn village_board(app: &App, code: &str, per_module: i64) -> Result<Board> {
    let mut c = app.db.read().await?;
    let unit = village_row(&mut c, code).await?;
    let mut place = Vec::new();
    let mut parent = unit.parent_code.clone();
    while let Some(p) = parent.take() {
        match units::get(&mut c, &p).await? {
            Some(u) if place.len() < 3 => {
                place.insert(0, u.name.clone());
                parent = u.parent_code;
            }
            _ => break,
        }
    }
    let mut modules = Vec::new();
    for m in Module::ALL {
        let list = rows::of_unit(&mut c, code, Some(m.key()), per_module).await?;
        let views = list
            .into_iter()
            .map(|r| view(app, r, &unit.name))
            .collect::<Result<Vec<_>>>()?;
        modules.push((m, views));
    }
    Ok(Board {
        code: unit.code,
        name: unit.name,
        place,
        modules,
    })
}

/// One village's row of the on-time table: a summary per category (catalogue order).
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleRow {
    pub code: String,
    pub name: String,
    pub cells: Vec<Summary>,
}

/// A missing period an officer must order published (art. 31).
#[derive(Debug, Clone, Serialize)]
pub struct Overdue {
    pub village_code: String,
    pub village_name: String,
    pub category: String,
    pub category_name: String,
    #[serde(flatten)]
    pub due: Due,
}

#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    pub today: NaiveDate,
    pub since: NaiveDate,
    pub categories: Vec<(String, String)>,
    pub rows: Vec<ScheduleRow>,
    /// Every missing period, most overdue first.
    pub overdue: Vec<Overdue>,
    /// Villages beyond the table's bound, not shown.
    pub truncated: bool,
}

/// How many villages one table shows (a county has ~500).
pub const MAX_VILLAGES: i64 = 1_000;

/// The on-time table of the villages under `root` (in the actor's area), as of `today`;
/// periods are checked from 1 January of `today`'s year.
pub async fn schedule(app: &App, actor: &Actor, root: &str, today: NaiveDate) -> Result<Schedule> {
    actor.require(Permission::ViewRegistry)?;
    actor.require_unit(root)?;
    let since = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let mut c = app.db.read().await?;
    let villages = if root.len() >= 12 {
        vec![village_row(&mut c, root).await?]
    } else {
        units::villages_under(&mut c, root, MAX_VILLAGES + 1).await?
    };
    let truncated = villages.len() as i64 > MAX_VILLAGES;
    // Last year's December or Q4 is checked in January: read from a year before `since`.
    let from = since
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(since)
        .format("%Y-%m-%d")
        .to_string();
    let published = rows::first_publications(&mut c, root, &from).await?;
    let catalogue = &app.config.disclosure;
    let mut out = Schedule {
        today,
        since,
        categories: catalogue
            .categories
            .iter()
            .map(|k| (k.key.clone(), k.name.clone()))
            .collect(),
        rows: Vec::new(),
        overdue: Vec::new(),
        truncated,
    };
    // Grouped once by (village, category): a county's table is 500 × 15 cells.
    let mut by_cell: std::collections::HashMap<(&str, &str), Vec<(Period, NaiveDate)>> =
        std::collections::HashMap::new();
    for (u, cat, p, at) in &published {
        if let (Ok(p), Some(day)) = (Period::parse(p), super::local_date(at)) {
            by_cell
                .entry((u.as_str(), cat.as_str()))
                .or_default()
                .push((p, day));
        }
    }
    for v in villages.into_iter().take(MAX_VILLAGES as usize) {
        let mut cells = Vec::new();
        for k in &catalogue.categories {
            let mine = by_cell
                .get(&(v.code.as_str(), k.key.as_str()))
                .cloned()
                .unwrap_or_default();
            let dues = schedule::periods(k.cadence, since, today, &mine);
            for d in dues
                .iter()
                .filter(|d| matches!(d.status, schedule::Status::Missing { .. }))
            {
                out.overdue.push(Overdue {
                    village_code: v.code.clone(),
                    village_name: v.name.clone(),
                    category: k.key.clone(),
                    category_name: k.name.clone(),
                    due: *d,
                });
            }
            cells.push(schedule::summarize(&dues));
        }
        out.rows.push(ScheduleRow {
            code: v.code,
            name: v.name,
            cells,
        });
    }
    out.overdue.sort_by_key(|o| o.due.due);
    Ok(out)
}

/// An attachment's type and bytes, by its SHA-256 (hex). Public: the hash is unguessable and
/// published disclosures name it; a draft's file is reachable only by one who has its hash.
pub async fn file(app: &App, sha256: &str) -> Result<(String, Vec<u8>)> {
    use base64::Engine;
    let ok = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !ok {
        return Err(AppError::NotFound(msg::RECORD.text()));
    }
    let mut c = app.db.read().await?;
    let f = rows::file(&mut c, sha256)
        .await?
        .ok_or_else(|| AppError::NotFound(msg::RECORD.text()))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&f.data)
        .map_err(|_| AppError::Internal(format!("attachment {sha256}: not base64")))?;
    Ok((f.mime, bytes))
}
