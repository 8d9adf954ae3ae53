//! Reading the administrative tree within the account's subtree, and importing divisions.

use crate::tabular::{col, map_columns, read_table_with, Column, Limits};
use crate::{audit, Actor, App, AppError, ImportIssue, Result};
use domain::access::Permission;
use domain::registry::{Level, UnitCode};
use serde::Serialize;
use serde_json::json;
use std::path::Path;
use store::registry::units::{self, UnitRow};
use store::StoreError;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub leader: String,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Unit {
        Unit {
            code: r.code,
            name: r.name,
            level: r.level,
            parent_code: r.parent_code,
            leader: r.leader,
        }
    }
}

/// A unit the account may see. Units outside the subtree answer "not found", as if absent.
pub async fn get(app: &App, actor: &Actor, code: &str) -> Result<Unit> {
    actor.require(Permission::ViewRegistry)?;
    let not_found = || AppError::NotFound(format!("unit {code}"));
    if !actor.can_see(code) {
        return Err(not_found());
    }
    let mut conn = app.db.pool.acquire().await.map_err(StoreError::from)?;
    units::get(&mut conn, code)
        .await?
        .map(Unit::from)
        .ok_or_else(not_found)
}

pub async fn children(app: &App, actor: &Actor, code: &str) -> Result<Vec<Unit>> {
    get(app, actor, code).await?;
    let mut conn = app.db.pool.acquire().await.map_err(StoreError::from)?;
    Ok(units::children(&mut conn, code)
        .await?
        .into_iter()
        .map(Unit::from)
        .collect())
}

/// The account's own top unit(s): its bound unit, or the provinces for a national administrator.
pub async fn top(app: &App, actor: &Actor) -> Result<Vec<Unit>> {
    let mut conn = app.db.pool.acquire().await.map_err(StoreError::from)?;
    let rows = if actor.scope.root.is_empty() {
        units::roots(&mut conn).await?
    } else {
        units::get(&mut conn, &actor.scope.root)
            .await?
            .into_iter()
            .collect()
    };
    Ok(rows.into_iter().map(Unit::from).collect())
}

/// The chain from the account's top unit down to `code` (for breadcrumbs).
pub async fn breadcrumb(app: &App, actor: &Actor, code: &str) -> Result<Vec<Unit>> {
    let mut codes = Vec::new();
    let mut c = UnitCode::parse(code).ok();
    while let Some(u) = c {
        if u.as_str().len() < actor.scope.root.len() {
            break;
        }
        codes.push(u.to_string());
        c = u.parent();
    }
    codes.reverse();
    let mut conn = app.db.pool.acquire().await.map_err(StoreError::from)?;
    Ok(units::get_many(&mut conn, &codes)
        .await?
        .into_iter()
        .map(Unit::from)
        .collect())
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ScopeCounts {
    pub unit: String,
    pub by_level: Vec<(String, i64)>,
    pub households: i64,
    pub members: i64,
}

/// Dashboard figures for a unit subtree.
pub async fn counts(app: &App, actor: &Actor, code: &str) -> Result<ScopeCounts> {
    if !code.is_empty() {
        get(app, actor, code).await?;
    } else if !actor.scope.root.is_empty() {
        return Err(AppError::NotFound("unit".into()));
    }
    let mut conn = app.db.pool.acquire().await.map_err(StoreError::from)?;
    let mut by_level = units::count_by_level(&mut conn, code).await?;
    by_level.sort_by_key(|(l, _)| Level::parse(l));
    let (households, members) = store::registry::households::counts(&mut conn, code).await?;
    Ok(ScopeCounts {
        unit: code.to_string(),
        by_level,
        households,
        members,
    })
}

/// The dashboard's figures: the subtree's counts, and the households and people of each of
/// `children` (units directly below `root`; zeros for a child without households), the
/// household figures of both from one grouped scan.
pub async fn dashboard_counts(
    app: &App,
    actor: &Actor,
    root: &str,
    children: &[Unit],
) -> Result<(ScopeCounts, Vec<(i64, i64)>)> {
    if !root.is_empty() {
        get(app, actor, root).await?;
    } else if !actor.scope.root.is_empty() {
        return Err(AppError::NotFound("unit".into()));
    }
    // Below a micro-grid there is no level: its own code length groups nothing but itself.
    let child_len = if root.is_empty() {
        Level::Province.code_len()
    } else {
        Level::from_code_len(root.len())
            .and_then(Level::child)
            .map_or(root.len(), Level::code_len)
    };
    let mut conn = app.db.pool.acquire().await.map_err(StoreError::from)?;
    let mut by_level = units::count_by_level(&mut conn, root).await?;
    by_level.sort_by_key(|(l, _)| Level::parse(l));
    let figures = store::registry::households::counts_by_child(&mut conn, root, child_len).await?;
    let by_code: std::collections::HashMap<&str, (i64, i64)> = figures
        .children
        .iter()
        .map(|(k, h, m)| (k.as_str(), (*h, *m)))
        .collect();
    let rows = children
        .iter()
        .map(|c| by_code.get(c.code.as_str()).copied().unwrap_or((0, 0)))
        .collect();
    Ok((
        ScopeCounts {
            unit: root.to_string(),
            by_level,
            households: figures.households,
            members: figures.members,
        },
        rows,
    ))
}

/// What a divisions import did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct UnitsImportReport {
    pub rows: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub files: Vec<String>,
}

const FILES: [(&str, Level, Option<&str>); 5] = [
    ("provinces.csv", Level::Province, None),
    ("cities.csv", Level::City, Some("provinceCode")),
    ("areas.csv", Level::County, Some("cityCode")),
    ("streets.csv", Level::Township, Some("areaCode")),
    ("villages.csv", Level::Village, Some("streetCode")),
];

/// Reads the `china-division` CSV layout (any subset of the five files) into unit rows,
/// checking every code; problems come back as file:row:column.
pub fn read_divisions(
    dir: &Path,
) -> std::result::Result<(Vec<UnitRow>, Vec<String>), Vec<ImportIssue>> {
    let mut found = Vec::new();
    for (name, _, _) in FILES {
        let path = dir.join(name);
        if let Ok(bytes) = std::fs::read(&path) {
            found.push((path.display().to_string(), bytes));
        }
    }
    if found.is_empty() {
        return Err(vec![ImportIssue {
            file: dir.display().to_string(),
            row: 0,
            column: "-".into(),
            message: "no provinces/cities/areas/streets/villages.csv here".into(),
            ..Default::default()
        }]);
    }
    read_division_files(&found)
}

/// Same as [`read_divisions`] for files already in memory, named by path (the file name says
/// which level it holds).
pub fn read_division_files(
    found: &[(String, Vec<u8>)],
) -> std::result::Result<(Vec<UnitRow>, Vec<String>), Vec<ImportIssue>> {
    let mut rows = Vec::new();
    let mut files = Vec::new();
    let mut issues = Vec::new();
    for (name, level, parent_col) in FILES {
        let Some((file, bytes)) = found.iter().find(|(f, _)| f.ends_with(name)) else {
            continue;
        };
        let file = file.clone();
        let table = match read_table_with(&file, bytes, &Limits::divisions()) {
            Ok(t) => t,
            Err(mut e) => {
                issues.append(&mut e);
                continue;
            }
        };
        let spec: Vec<Column> = [col("code", &[], true), col("name", &[], true)]
            .into_iter()
            .chain(parent_col.map(|p| col(p, &[], true)))
            .collect();
        let mapped = match map_columns(&table, &spec) {
            Ok(m) => m,
            Err(mut e) => {
                issues.append(&mut e);
                continue;
            }
        };
        files.push(name.to_string());
        rows.reserve(table.rows.len());
        for r in &table.rows {
            let code = mapped.get(r, "code");
            let nm = mapped.get(r, "name");
            match UnitCode::parse(code) {
                Ok(c) if c.level() == level => {
                    let parent = c.parent().map(|p| p.to_string());
                    if let (Some(pc), Some(p)) = (parent_col, &parent) {
                        let declared = mapped.get(r, pc);
                        if declared != p {
                            issues.push(mapped.issue(
                                r,
                                pc,
                                format!("parent code {declared} does not contain code {code}"),
                            ));
                            continue;
                        }
                    }
                    if nm.is_empty() {
                        issues.push(mapped.issue(r, "name", "name is empty"));
                        continue;
                    }
                    rows.push(UnitRow {
                        code: c.to_string(),
                        name: nm.to_string(),
                        level: level.as_str().into(),
                        parent_code: parent,
                        leader: String::new(),
                    });
                }
                Ok(c) => issues.push(mapped.issue(
                    r,
                    "code",
                    format!("code {c} is a {} code, expected a {level} code", c.level()),
                )),
                Err(e) => issues.push(mapped.issue(r, "code", e.to_string())),
            }
        }
    }
    if issues.is_empty() {
        Ok((rows, files))
    } else {
        Err(issues)
    }
}

/// Imports divisions in one transaction: new codes are added, changed names updated, nothing is
/// duplicated. `progress` is called with the rows written so far.
pub async fn import_divisions(
    app: &App,
    actor: &Actor,
    dir: &Path,
    progress: impl FnMut(u64, u64),
) -> Result<UnitsImportReport> {
    actor.require(Permission::Administer)?;
    let (rows, files) = read_divisions(dir).map_err(AppError::import)?;
    write_divisions(
        app,
        actor,
        &dir.display().to_string(),
        rows,
        files,
        progress,
    )
    .await
}

/// Imports divisions already in memory (the demo's embedded sample).
pub async fn import_division_files(
    app: &App,
    actor: &Actor,
    found: &[(String, Vec<u8>)],
) -> Result<UnitsImportReport> {
    actor.require(Permission::Administer)?;
    let (rows, files) = read_division_files(found).map_err(AppError::import)?;
    write_divisions(app, actor, "embedded", rows, files, |_, _| {}).await
}

async fn write_divisions(
    app: &App,
    actor: &Actor,
    source: &str,
    rows: Vec<UnitRow>,
    files: Vec<String>,
    mut progress: impl FnMut(u64, u64),
) -> Result<UnitsImportReport> {
    let total = rows.len() as u64;
    let mut tx = app.db.begin().await?;
    let before = units::count_all(&mut tx).await? as u64;
    let mut changed = 0;
    let mut done = 0;
    // Chunks of 10 statements between progress calls.
    for chunk in rows.chunks(units::UPSERT_CHUNK * 10) {
        changed += units::upsert(&mut tx, chunk).await?;
        done += chunk.len() as u64;
        progress(done, total);
    }
    if changed > 0 {
        let provinces = rows
            .iter()
            .filter_map(|r| r.code.get(..2).map(str::to_string))
            .collect();
        units::recount_levels(&mut tx, &provinces).await?;
    }
    let after = units::count_all(&mut tx).await? as u64;
    let added = after - before;
    let report = UnitsImportReport {
        rows: total,
        added,
        updated: changed.saturating_sub(added),
        unchanged: total - changed,
        files,
    };
    audit::record(
        &mut tx,
        actor,
        "units.import",
        "units",
        source,
        &actor.scope.root,
        json!(report),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}
